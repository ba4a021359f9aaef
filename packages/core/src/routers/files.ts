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
  progressBusFor,
  ProgressInput,
  resetCollection,
  ResetCollectionResponse,
  SUPPORTED_EXTENSIONS,
  uploadFromForm,
  UploadFormData,
  UploadResponse,
} from '../domain/files';
import { filePage, FilePageParams, FilePageResponse } from '../domain/files-content';
import { authedProcedure } from '../trpc';

export const filesRouter = {
  /** Multipart upload as FormData (`file`, optional `category`, optional `upload_id`). */
  upload: authedProcedure
    .input(UploadFormData)
    .output(UploadResponse)
    .mutation(({ ctx, input, signal }) =>
      uploadFromForm(ctx.deps, ctx.session.userId, input, signal),
    ),
  /** Authenticates and tells the limits (the REST upload calls it before accepting any bytes). */
  uploadLimits: authedProcedure.query(({ ctx }) => ({
    max_upload_mb: ctx.deps.env.MAX_UPLOAD_MB,
    extensions: [...SUPPORTED_EXTENSIONS],
  })),
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
  /** Stages of an upload (stored, parsed, chunked, embedded, indexed | failed) by its client-chosen id. */
  progress: authedProcedure.input(ProgressInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    yield* progressBusFor(ctx.deps.db).subscribe(ctx.session.userId, input.upload_id, signal);
  }),
} satisfies TRPCRouterRecord;
