import { z } from 'zod';

import { DeleteFilterSchema } from './delete-filter-schema';

/** `POST /upload` success body. */
export const UploadResponse = z.object({
  filename: z.string(),
  status: z.literal('success'),
  message: z.string(),
  chunks_count: z.number().int(),
  category: z.string().nullable(),
  file_id: z.string(),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

/** The upload error body (400 / 413). */
export const UploadErrorBody = z.object({
  filename: z.string(),
  status: z.literal('error'),
  message: z.string(),
});

/** Longest accepted `category` (characters, after trimming); beyond it the upload is a 422. */
export const MAX_CATEGORY_LENGTH = 100;

/** Multipart fields of `POST /upload` (documented for OpenAPI; the file is streamed, never buffered). */
export const UploadForm = z.object({
  file: z
    .string()
    .meta({ format: 'binary', description: 'The document (.pdf .docx .txt .sql .md)' }),
  category: z
    .string()
    .max(MAX_CATEGORY_LENGTH)
    .optional()
    .meta({
      description: `Optional category of the file (at most ${MAX_CATEGORY_LENGTH} characters)`,
    }),
  upload_id: z.string().optional().meta({
    description:
      'Optional client-chosen id to follow progress with files.progress (before the upload starts)',
  }),
});

/** tRPC `files.upload` input: the same fields as a FormData (the file as a File / Blob). */
export const UploadFormData = z.instanceof(FormData);

export const FileInfo = z.object({
  filename: z.string(),
  /** Server-relative storage key, never an absolute path. */
  path: z.string(),
  size: z.number().int(),
  upload_date: z.string().nullable(),
  extension: z.string(),
  category: z.string().nullable(),
  id: z.string().nullable(),
});
export type FileInfo = z.infer<typeof FileInfo>;

export const FileListResponse = z.object({
  total_files: z.number().int(),
  files: z.array(FileInfo),
});
export type FileListResponse = z.infer<typeof FileListResponse>;

export const FileParams = z.object({ filename: z.string().min(1) });

export const StorageUsageResponse = z.object({
  used_bytes: z
    .number()
    .int()
    .meta({ description: "Bytes of the caller's documents, as uploaded" }),
  files: z.number().int().meta({ description: 'Documents stored (indexed or being indexed)' }),
  quota_bytes: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'USER_STORAGE_QUOTA_MB in bytes; null: no limit' }),
  max_files: z.number().int().nullable().meta({ description: 'USER_MAX_FILES; null: no limit' }),
  max_upload_mb: z.number().meta({ description: 'Largest single upload (MAX_UPLOAD_MB)' }),
});
export type StorageUsageResponse = z.infer<typeof StorageUsageResponse>;

export const FileDeleteResponse = z.object({
  filename: z.string(),
  status: z.literal('success'),
  message: z.string(),
  removed_points: z.number().int(),
});
export type FileDeleteResponse = z.infer<typeof FileDeleteResponse>;

export const ResetCollectionResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  vector_size: z.number().int(),
});
export type ResetCollectionResponse = z.infer<typeof ResetCollectionResponse>;

/**
 * `POST /collections/delete-by-filter` body. The edge accepts any `filter` on purpose: the contract
 * answers a bad filter with a 400 naming the problem, not a 422, so the domain validates it with
 * `DeleteFilterSchema`, and the OpenAPI document shows that same schema (rendered on demand).
 */
export const DeleteByFilterBody = z
  .object({
    filter: z
      .unknown()
      .optional()
      .meta({
        override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
          const { $schema: _draft, ...schema } = z.toJSONSchema(DeleteFilterSchema, {
            io: 'input',
          });
          Object.assign(jsonSchema, schema);
        },
      }),
  })
  .loose();
export type DeleteByFilterBody = z.infer<typeof DeleteByFilterBody>;

export const DeleteByFilterResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
});
export type DeleteByFilterResponse = z.infer<typeof DeleteByFilterResponse>;

export const FilterErrorBody = z.object({ status: z.literal('error'), message: z.string() });

export const FileStatusParams = z.object({ file_id: z.string().min(1) });
export const FileStatus = z.object({
  file_id: z.string(),
  filename: z.string(),
  status: z.enum(['processing', 'indexed', 'failed']),
  stage: z.string(),
  chunks_count: z.number().int(),
  page_count: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type FileStatus = z.infer<typeof FileStatus>;
