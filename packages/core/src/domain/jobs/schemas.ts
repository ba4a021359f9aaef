import { z } from 'zod';

const STAGES = ['uploaded', 'parsed', 'chunked', 'embedded', 'indexed', 'failed'] as const;

/** One progress event (tRPC `files.progress`, REST SSE `GET /files/{file_id}/progress`). */
export const IngestProgressSchema = z.object({
  stage: z.enum(STAGES),
  jobId: z.string(),
  uploadId: z.string().nullable(),
  fileId: z.string().nullable(),
  filename: z.string(),
  done: z.number().int().nullable(),
  total: z.number().int().nullable(),
  pagesDone: z.number().int().optional(),
  pageCount: z.number().int().nullable().optional(),
  chunks: z.number().int().optional(),
  reason: z.string().optional(),
});

/** `files.progress` input: follow an upload by its client-chosen id, its file id, or its job id. */
export const ProgressInput = z
  .object({
    upload_id: z.string().min(1).max(200).optional(),
    file_id: z.string().min(1).max(200).optional(),
    job_id: z.string().min(1).max(200).optional(),
  })
  .refine((v) => Boolean(v.upload_id ?? v.file_id ?? v.job_id), {
    message: 'Cần upload_id, file_id hoặc job_id',
  });

export const FileProgressParams = z.object({ file_id: z.string().min(1).max(200) });

/** `POST /upload?async=true` (202): the job was accepted; follow it by `file_id` or `job_id`. */
export const UploadAccepted = z.object({
  filename: z.string(),
  status: z.enum(['processing', 'success', 'error']),
  message: z.string(),
  file_id: z.string().nullable(),
  job_id: z.string(),
  upload_id: z.string().nullable(),
  category: z.string().nullable(),
  stage: z.enum(STAGES),
});
export type UploadAccepted = z.infer<typeof UploadAccepted>;

/** `GET /indexing/status` (the API document's `IndexingStatusResponse`, plus details). */
export const IndexingStatusResponse = z.object({
  status: z.enum(['idle', 'running', 'completed', 'error']),
  message: z.string(),
  processed_files: z.number().int(),
  failed_files: z.number().int(),
  pending_files: z.number().int(),
  running_files: z.number().int(),
  current_file: z
    .object({
      file_id: z.string(),
      job_id: z.string(),
      filename: z.string(),
      stage: z.enum(STAGES),
      done: z.number().int().nullable(),
      total: z.number().int().nullable(),
    })
    .nullable(),
  last_error: z.object({ filename: z.string(), message: z.string() }).nullable(),
});
export type IndexingStatusResponse = z.infer<typeof IndexingStatusResponse>;
