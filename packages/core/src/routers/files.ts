import type { TRPCRouterRecord } from '@trpc/server';

import {
  DeleteByFilterBody,
  DeleteByFilterResponse,
  deleteByFilter,
  deleteFile,
  FileDeleteResponse,
  FileListResponse,
  FileParams,
  FileStatus,
  fileStatus,
  FileStatusParams,
  listFiles,
  resetCollection,
  ResetCollectionResponse,
  StorageUsageResponse,
  storageReport,
  SUPPORTED_EXTENSIONS,
  uploadFromForm,
  uploadFromFormAsync,
  UploadFormData,
  UploadResponse,
} from '../domain/files';
import { filePage, FilePageParams, FilePageResponse } from '../domain/files-content';
import { openProgress, ProgressInput, UploadAccepted } from '../domain/jobs';
import { authedProcedure } from '../trpc';

export const filesRouter = {
  /** Multipart upload as FormData (`file`, optional `category`, optional `upload_id`). */
  upload: authedProcedure
    .input(UploadFormData)
    .output(UploadResponse)
    .mutation(({ ctx, input, signal }) =>
      uploadFromForm(ctx.deps, ctx.session.userId, input, signal),
    ),
  /** The same upload, answered as soon as the bytes are stored and the job is queued (REST: 202). */
  uploadAsync: authedProcedure
    .input(UploadFormData)
    .output(UploadAccepted)
    .mutation(({ ctx, input }) => uploadFromFormAsync(ctx.deps, ctx.session.userId, input)),
  /** Authenticates and tells the limits (the REST upload calls it before accepting any bytes). */
  uploadLimits: authedProcedure.query(({ ctx }) => ({
    max_upload_mb: ctx.deps.env.MAX_UPLOAD_MB,
    extensions: [...SUPPORTED_EXTENSIONS],
  })),
  /** What the caller's documents take, against `USER_STORAGE_QUOTA_MB` / `USER_MAX_FILES`. */
  usage: authedProcedure
    .output(StorageUsageResponse)
    .query(({ ctx }) => storageReport(ctx.deps, ctx.session.userId)),
  list: authedProcedure
    .output(FileListResponse)
    .query(({ ctx }) => listFiles(ctx.deps, ctx.session.userId)),
  delete: authedProcedure
    .input(FileParams)
    .output(FileDeleteResponse)
    .mutation(({ ctx, input }) => deleteFile(ctx.deps, ctx.session.userId, input.filename)),
  resetCollection: authedProcedure
    .output(ResetCollectionResponse)
    .mutation(({ ctx }) => resetCollection(ctx.deps, ctx.session.userId)),
  deleteByFilter: authedProcedure
    .input(DeleteByFilterBody)
    .output(DeleteByFilterResponse)
    .mutation(({ ctx, input }) => deleteByFilter(ctx.deps, ctx.session.userId, input)),
  status: authedProcedure
    .input(FileStatusParams)
    .output(FileStatus)
    .query(({ ctx, input }) => fileStatus(ctx.deps, ctx.session.userId, input.file_id)),
  /** One page's extracted text and the chunk offsets on it (for showing a citation in place). */
  page: authedProcedure
    .input(FilePageParams)
    .output(FilePageResponse)
    .query(({ ctx, input }) => filePage(ctx.deps, ctx.session.userId, input.file_id, input.page)),
  /**
   * Stages of an upload (uploaded, parsed, chunked, embedded, indexed | failed), by its client-chosen
   * upload id, its file id or its job id, from any gateway. The first event is `{stage: 'ready'}`: the
   * subscription is listening, so an upload started afterwards misses nothing. A finished job answers
   * its final event at once.
   */
  progress: authedProcedure.input(ProgressInput).subscription(async ({ ctx, input, signal }) => {
    const target = input.job_id
      ? { jobId: input.job_id }
      : input.file_id
        ? { fileId: input.file_id }
        : { uploadId: input.upload_id ?? '' };
    // Opened (and a foreign file id refused) before the first event.
    const events = await openProgress(ctx.deps, ctx.session.userId, target, signal);
    return (async function* () {
      yield { stage: 'ready' as const };
      yield* events;
    })();
  }),
} satisfies TRPCRouterRecord;
