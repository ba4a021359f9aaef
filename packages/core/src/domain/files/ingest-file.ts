import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { Deps } from '../../ports/deps';
import { AppError, findAppError } from '../../errors';
import type { IngestJob, NewJob } from '../../ports/job-store';
import type { FinishedJob } from '../../ports/progress-bus';
import { jobEvent } from './progress-event';
import { listenForJob } from './wait-job';
import { displayFilename, extensionOf, storageKeyFor } from './file-names';
import { isSupportedExtension } from './parsers/parse-document';
import { quotaCheck, storageLimits } from './storage-quota';
import { DocumentError } from './parsers/types';

export type IngestDeps = Pick<
  Deps,
  | 'files'
  | 'env'
  | 'log'
  | 'blobs'
  | 'embedder'
  | 'vectorIndex'
  | 'clock'
  | 'jobs'
  | 'progress'
  | 'jobRunner'
>;

export type IngestInput = {
  userId: string;
  /** The client's filename (only its last path component is kept, for display). */
  filename: string;
  source: Readable | AsyncIterable<Uint8Array> | Uint8Array | Blob;
  category?: string | null;
  /** Client-chosen id to follow progress with `files.progress`. */
  uploadId?: string;
  signal?: AbortSignal;
};

export type IngestResult = {
  fileId: string;
  jobId: string;
  filename: string;
  chunksCount: number;
  category: string | null;
  pageCount: number | null;
  /** True when identical bytes were already indexed for this user (nothing was re-indexed). */
  duplicate: boolean;
};

function blobSource(
  source: IngestInput['source'],
): Readable | AsyncIterable<Uint8Array> | Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof Blob) return Readable.fromWeb(source.stream() as WebReadableStream);
  return source;
}

/** An upload refused with the given status (the edges render the contract's body naming the file). */
export function uploadError(
  code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE',
  filename: string,
  message: string,
  cause?: unknown,
) {
  return new AppError(code, message, { details: { kind: 'upload_refused', filename }, cause });
}

/** A new upload's job before its bytes are stored (server-chosen ids and storage key). */
export function newJob(input: IngestInput): NewJob {
  const filename = displayFilename(input.filename);
  const ext = extensionOf(filename);
  const fileId = randomUUID();
  return {
    jobId: randomUUID(),
    userId: input.userId,
    fileId,
    uploadId: input.uploadId ?? null,
    filename,
    extension: ext,
    storageKey: storageKeyFor(input.userId, fileId, ext),
    category: input.category?.trim() || null,
    size: 0,
    sha256: '',
  };
}

/** Tells subscribers (and every gateway's job loop) about a job; a lost event is only logged. */
export async function announceJob(deps: IngestDeps, job: IngestJob): Promise<IngestJob> {
  await deps.progress
    .publish(job.userId, jobEvent(job))
    .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'progress publish failed'));
  return job;
}

/** Stores an upload's bytes under its job's key (at most MAX_UPLOAD_MB). */
export function storeBytes(deps: IngestDeps, job: NewJob, input: IngestInput) {
  return deps.blobs.write(job.storageKey, blobSource(input.source), {
    maxBytes: Math.floor(deps.env.MAX_UPLOAD_MB * 1024 * 1024),
  });
}

/**
 * Stores an upload's bytes and hands it to the job queue: the file row and its job are created in one
 * statement, and a gateway's worker pool takes it from there (uploaded → parsed → chunked → embedded
 * → indexed | failed). Identical bytes already indexed for the user become a finished duplicate job; a
 * refused type a failed one. Nothing is left behind when storing fails.
 */
export async function submitUpload(deps: IngestDeps, input: IngestInput): Promise<IngestJob> {
  const base = newJob(input);
  const { fileId, filename, storageKey } = base;
  const announce = (job: IngestJob) => announceJob(deps, job);
  const ext = base.extension;

  if (!isSupportedExtension(ext)) {
    const reason = `Không hỗ trợ định dạng file ${ext}`;
    return announce(await deps.jobs.recordRejected(base, { code: 'BAD_REQUEST', reason }));
  }
  let stored = false;
  try {
    const blob = await storeBytes(deps, base, input);
    stored = true;
    const job = { ...base, size: blob.size, sha256: blob.sha256 };
    // An idle runner of ours takes the job as it is written (no claim round trip); other gateways
    // wake on the event. Identical bytes already indexed make it a finished duplicate instead.
    const slot = deps.jobRunner.reserve();
    slot?.readAhead(job);
    let queued: IngestJob;
    try {
      queued = await deps.jobs.enqueue(job, slot ?? undefined, quotaCheck(storageLimits(deps.env)));
    } catch (e) {
      slot?.cancel();
      throw e;
    }
    // A duplicate, or refused by the storage quota: no file row, so these bytes are not kept.
    if (queued.duplicate || queued.status === 'failed') {
      slot?.cancel();
      stored = false;
      // The answer stands without these bytes; a blob left behind is removed by start-up reconciliation.
      await deps.blobs
        .delete(storageKey)
        .catch((err: unknown) =>
          deps.log.warn({ err, fileId }, 'removing an upload not kept failed'),
        );
      return announce(queued);
    }
    stored = false; // the job owns the blob now
    if (slot) slot.adopt(queued);
    else deps.jobRunner.kick();
    return announce(queued);
  } catch (e) {
    if (stored)
      await deps.blobs
        .delete(storageKey)
        .catch((err: unknown) =>
          deps.log.error({ err, fileId }, 'cleanup after a failed upload failed'),
        );
    const error = toUploadError(e, filename);
    if (error.code === 'INTERNAL') deps.log.error({ err: e, fileId, filename }, 'upload failed');
    throw error;
  }
}

/** The answer of a finished job: its result, or its failure as the contract's error. */
export function jobOutcome(job: FinishedJob): IngestResult {
  if (job.status === 'failed') throw jobError(job);
  if (job.status !== 'done') throw new AppError('INTERNAL', 'Lỗi khi xử lý tài liệu');
  return {
    fileId: job.resultFileId ?? job.fileId,
    jobId: job.id,
    filename: job.filename,
    chunksCount: job.chunksCount,
    category: job.category,
    pageCount: job.pageCount,
    duplicate: job.duplicate,
  };
}

/** A failed job's stored code and reason as the error the synchronous upload answers. */
export function jobError(job: Pick<FinishedJob, 'errorCode' | 'reason' | 'filename'>): AppError {
  const reason = job.reason ?? 'Lỗi khi xử lý tài liệu';
  const code = (job.errorCode ?? 'INTERNAL') as AppError['code'];
  if (code === 'BAD_REQUEST' || code === 'PAYLOAD_TOO_LARGE')
    return uploadError(code, job.filename, reason);
  return new AppError(code, reason);
}

/**
 * Upload → store → job → parse → chunk → embed → index, answering when the job ends (the documented
 * synchronous contract). A same-name file is replaced only once the new one is fully indexed; any
 * failure leaves nothing behind (no blob, no file row, no chunk; the job row keeps the reason).
 */
export async function ingestFile(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  // Listening before the job exists, its row is read once, when it ends (no read to catch an ending
  // that came before the listener).
  const waiting = await listenForJob(deps, input.userId);
  try {
    const job = await submitUpload(deps, input);
    const final =
      job.status === 'done' || job.status === 'failed'
        ? job
        : await waiting.until(job.id, { signal: input.signal, listenedSinceCreated: true });
    return jobOutcome(final);
  } finally {
    await waiting.stop();
  }
}

/** Any failure of a job as the error it answers with (parsers' refusals and limits are 400 / 413). */
export function toUploadError(e: unknown, filename: string): AppError {
  const app = findAppError(e);
  if (e instanceof DocumentError) return uploadError('BAD_REQUEST', filename, e.message, e);
  if (app?.code === 'PAYLOAD_TOO_LARGE' || app?.code === 'BAD_REQUEST')
    return uploadError(app.code, filename, app.message, e);
  if (app) return app;
  return new AppError('INTERNAL', 'Lỗi khi xử lý tài liệu', { cause: e });
}
