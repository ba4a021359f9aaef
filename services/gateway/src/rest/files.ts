import { openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';

import {
  AppError,
  DiskMessages,
  EdgeMessages,
  findNulCharacter,
  uploadError,
  uploadSpoolDir,
  type Deps,
} from '@rag/core';
import {
  DeleteByFilterBody,
  DeleteByFilterResponse,
  FileDeleteResponse,
  FileListResponse,
  FileParams,
  FilterErrorBody,
  ResetCollectionResponse,
  StorageUsageResponse,
  UploadErrorBody,
  UploadForm,
  UploadAccepted,
  UploadResponse,
} from '@rag/core/contract';
import { z } from 'zod';

import { HttpValidationError } from './http-errors';
import { multipartFailure, spoolMultipart } from './files-multipart';
import { defineRoute } from './route';
import { freeBytes } from './storage-probe';

const ErrorBody = z.object({ detail: z.string() });

const UploadQuery = z.object({
  async: z.enum(['true', 'false', '1', '0']).optional().meta({
    description: 'true: answer 202 as soon as the job is queued (also `Prefer: respond-async`)',
  }),
});

/** RFC 7240: `Prefer: respond-async` asks for the 202 answer. */
function prefersAsync(header: string | undefined): boolean {
  return (header ?? '').split(',').some(
    (p) =>
      p
        .trim()
        .split(/[;=\s]/)[0]
        ?.toLowerCase() === 'respond-async',
  );
}

export function fileRoutes(deps: Deps) {
  const maxBytes = Math.floor(deps.env.MAX_UPLOAD_MB * 1024 * 1024);
  const spoolDir = uploadSpoolDir(deps.dataDir);
  return [
    defineRoute({
      method: 'post',
      path: '/upload',
      summary: 'Upload a document and index it for the caller',
      description:
        'Multipart `file` (.pdf .docx .txt .sql .md) and optional `category`. The file is streamed to disk, ' +
        'parsed, chunked, embedded and indexed by a durable job before the answer (the worker pool does the ' +
        'CPU work). With `?async=true` or `Prefer: respond-async` the answer is 202 with `file_id` and ' +
        '`job_id` as soon as the job is queued; follow it with `GET /files/{file_id}/progress` (SSE) or ' +
        '`GET /indexing/status`. Identical bytes already indexed are not re-indexed; a same-name upload ' +
        'replaces the old version once indexed. Optional `upload_id` lets a client follow the stages with ' +
        'the `files.progress` subscription opened before the upload.',
      tags: ['files'],
      auth: 'bearer',
      multipart: UploadForm,
      query: UploadQuery,
      responses: {
        200: { description: 'Indexed', schema: UploadResponse },
        202: {
          description:
            'Accepted (async): the job is queued; `status` is processing (or success for identical bytes)',
          schema: UploadAccepted,
        },
        400: {
          description: 'Unsupported, unreadable, encrypted, image-only or empty document',
          schema: UploadErrorBody,
        },
        413: {
          description:
            'Larger than MAX_UPLOAD_MB, or beyond the caller’s USER_STORAGE_QUOTA_MB / USER_MAX_FILES',
          schema: UploadErrorBody,
        },
        503: {
          description: 'The embedding provider is unavailable, or DATA_DIR cannot be written',
          schema: ErrorBody,
        },
        507: { description: 'The server disk is full (below MIN_FREE_DISK_MB)', schema: ErrorBody },
      },
      handler: async ({ req, res, call, query }) => {
        const api = await call();
        const respondAsync =
          query.async === 'true' || query.async === '1' || prefersAsync(req.get('prefer'));
        // Authenticate before accepting any bytes.
        await api.files.uploadLimits();
        if (!req.is('multipart/form-data')) {
          throw new HttpValidationError(UploadForm.safeParse({}).error?.issues ?? [], 'body', null);
        }
        // Refuse before reading a byte when the disk is nearly full (the upload would fail half-way).
        if ((await freeBytes(deps.dataDir)) < deps.env.MIN_FREE_DISK_MB * 1024 * 1024)
          throw new AppError('INSUFFICIENT_STORAGE', DiskMessages.full);
        const upload = await spoolMultipart(req, spoolDir, maxBytes).catch((e: unknown) => {
          throw multipartFailure(e);
        });
        try {
          if (upload.tooLarge) {
            throw uploadError(
              'PAYLOAD_TOO_LARGE',
              upload.filename,
              EdgeMessages.uploadTooLarge(deps.env.MAX_UPLOAD_MB),
            );
          }
          // The shared edge rule first, as for every JSON input: no U+0000 in a field or the filename.
          const sent = { ...upload.fields, ...(upload.path ? { file: upload.filename } : {}) };
          const nul = findNulCharacter(sent);
          if (nul) throw new HttpValidationError([nul], 'body', sent);
          const check = UploadForm.safeParse({ ...upload.fields, file: upload.path ?? undefined });
          if (!check.success)
            throw new HttpValidationError(check.error.issues, 'body', upload.fields);
          const form = new FormData();
          form.append('file', new File([await openAsBlob(check.data.file)], upload.filename));
          if (upload.fields.category !== undefined) form.append('category', upload.fields.category);
          if (upload.fields.upload_id !== undefined)
            form.append('upload_id', upload.fields.upload_id);
          if (!respondAsync) return await api.files.upload(form);
          const accepted = await api.files.uploadAsync(form);
          if (accepted.status === 'error') {
            // Refused before any work (unsupported type): the same 400 as the synchronous answer.
            throw uploadError('BAD_REQUEST', accepted.filename, accepted.message);
          }
          res.setHeader('Preference-Applied', 'respond-async');
          res.status(202).json(accepted);
          return undefined;
        } finally {
          if (upload.path) await rm(upload.path, { force: true });
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/storage',
      summary: "What the caller's documents take, against the per-user limits",
      description:
        'Bytes as uploaded and documents stored (indexed or still being indexed), with ' +
        '`USER_STORAGE_QUOTA_MB` in bytes and `USER_MAX_FILES` (null: no limit).',
      tags: ['files'],
      auth: 'bearer',
      responses: { 200: { description: 'Usage and limits', schema: StorageUsageResponse } },
      handler: async ({ call }) => (await call()).files.usage(),
    }),
    defineRoute({
      method: 'get',
      path: '/files',
      summary: "The caller's uploaded files (from the database)",
      tags: ['files'],
      auth: 'bearer',
      responses: { 200: { description: 'Files, newest first', schema: FileListResponse } },
      handler: async ({ call }) => (await call()).files.list(),
    }),
    defineRoute({
      method: 'delete',
      path: '/files/:filename',
      summary:
        'Delete a file (by original filename or file_id): its chunks, stored file and record',
      tags: ['files'],
      auth: 'bearer',
      params: FileParams,
      responses: {
        200: {
          description: 'Deleted; removed_points is the exact number of chunks removed',
          schema: FileDeleteResponse,
        },
        404: { description: 'The caller has no such file', schema: ErrorBody },
      },
      handler: async ({ call, params }) => (await call()).files.delete(params),
    }),
    defineRoute({
      method: 'delete',
      path: '/collection/reset',
      summary: "Remove all of the caller's indexed chunks, file records and stored files",
      tags: ['files'],
      auth: 'bearer',
      responses: { 200: { description: 'Reset', schema: ResetCollectionResponse } },
      handler: async ({ call }) => (await call()).files.resetCollection(),
    }),
    defineRoute({
      method: 'post',
      path: '/collections/delete-by-filter',
      summary: "Delete the caller's chunks matching a Qdrant-style filter",
      description:
        '`must` / `should` / `must_not` of `{"key", "match": {"value"}}` or `{"match": {"any": [...]}}` on ' +
        '`file_id`, `source`, `category`, `page` (with or without `metadata.`). The caller is always added.',
      tags: ['files'],
      auth: 'bearer',
      body: DeleteByFilterBody,
      responses: {
        200: { description: 'Deleted', schema: DeleteByFilterResponse },
        400: { description: 'Invalid filter', schema: FilterErrorBody },
      },
      handler: async ({ call, body }) => (await call()).files.deleteByFilter(body),
    }),
  ];
}
