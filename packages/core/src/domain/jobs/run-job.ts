import type { Deps } from '../../ports/deps';
import { commitIndexedFile, discardFile, markParsed } from '../files/file-rows';
import { toUploadError } from '../files/ingest-file';
import { indexChunks } from '../files/index-chunks';
import { parseBudget } from '../files/parsers/budget';
import type { SupportedExtension } from '../files/parsers/parse-document';
import type { IngestJob, JobProgress } from '../../ports/job-store';
import type { IngestProgress, IngestStage } from '../../ports/progress-bus';
import { doneTotal } from './progress-event';
import type { IngestSession } from '../../ports/ingest-pool';

export type JobDeps = Pick<
  Deps,
  | 'db'
  | 'env'
  | 'log'
  | 'blobs'
  | 'embedder'
  | 'vectorIndex'
  | 'clock'
  | 'jobs'
  | 'chunks'
  | 'progress'
  | 'ingestPool'
>;

/** Another worker took the job over (our lease expired): leave everything to it. */
class ClaimLost extends Error {}

/** Job-row writes of chunk counts are spaced this far apart (stage changes are written at once). */
const COUNT_WRITE_MS = 1000;

/**
 * Runs one claimed job to its end: parse (worker pool) → chunk → embed (worker pool) → index → commit.
 * A failure discards the file (chunks, row, blob) and records the reason on the job. `shutdown`
 * aborting puts the job back in the queue for the next worker instead.
 */
export async function runJob(
  deps: JobDeps,
  job: IngestJob,
  workerId: string,
  signal: AbortSignal,
): Promise<void> {
  // Events go out one after another so every gateway sees them in order.
  let published = Promise.resolve();
  const publish = (stage: IngestStage, p: Partial<IngestProgress> = {}) => {
    const event = {
      stage,
      jobId: job.id,
      uploadId: job.uploadId,
      fileId: job.fileId,
      filename: job.filename,
      ...p,
    };
    published = published
      .then(() => deps.progress.publish(job.userId, { ...event, ...doneTotal(event) }))
      .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'progress publish failed'));
  };
  // Row updates run one after another; a lost claim is noticed at the next one.
  let writes = Promise.resolve();
  let lost = false;
  let lastStage: IngestStage = job.stage;
  let lastWrite = 0;
  const record = (p: JobProgress, force = false) => {
    const now = Date.now();
    if (!force && p.stage === lastStage && now - lastWrite < COUNT_WRITE_MS) return;
    lastStage = p.stage;
    lastWrite = now;
    writes = writes.then(async () => {
      if (!lost && !(await deps.jobs.progress(job.id, workerId, p))) lost = true;
    });
  };
  const settle = async () => {
    await writes;
    if (lost) throw new ClaimLost();
  };

  const file = { userId: job.userId, fileId: job.fileId, storageKey: job.storageKey };
  let session: IngestSession | null = null;
  try {
    // A retried job starts clean: whatever the interrupted attempt indexed goes first.
    if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
    const budget = parseBudget(deps.env.MAX_UPLOAD_MB, deps.env.PARSE_TIMEOUT_S);
    const ext = job.extension as SupportedExtension;
    const doc = (session = await deps.ingestPool.open(
      deps.blobs.path(job.storageKey),
      ext,
      budget,
      signal,
    ));
    await markParsed(deps.db, job.fileId, doc.pageCount);
    record({ stage: 'parsed', pageCount: doc.pageCount, pagesDone: 0 }, true);
    await settle();
    publish('parsed', { pageCount: doc.pageCount, pagesDone: 0 });

    const chunksCount = await indexChunks(
      { ...deps, embedder: doc.documentEmbedder(deps.embedder) },
      {
        userId: job.userId,
        fileId: job.fileId,
        filename: job.filename,
        category: job.category,
        doc,
        budget,
        signal,
        onProgress: (p) => {
          record({ stage: p.stage, chunksCount: p.chunks, pagesDone: p.pagesDone ?? null });
          publish(p.stage, { chunks: p.chunks, pagesDone: p.pagesDone, pageCount: doc.pageCount });
        },
      },
    );
    session.close();
    await settle();
    const outcome = await commitIndexedFile(deps, {
      userId: job.userId,
      fileId: job.fileId,
      filename: job.filename,
      chunksCount,
      pageCount: doc.pageCount,
      sha256: job.sha256,
    });
    const duplicate = outcome.kind === 'duplicate';
    // A concurrent upload of the same bytes won the race: answer with it, drop ours.
    if (duplicate) await discardFile(deps, { ...file, row: true });
    const result = duplicate
      ? {
          resultFileId: outcome.existing.id,
          chunksCount: outcome.existing.chunksCount,
          pageCount: outcome.existing.pageCount,
          duplicate,
        }
      : { resultFileId: job.fileId, chunksCount, pageCount: doc.pageCount, duplicate };
    if (!(await deps.jobs.finish(job.id, workerId, result))) throw new ClaimLost();
    publish('indexed', {
      fileId: result.resultFileId,
      chunks: result.chunksCount,
      pageCount: result.pageCount,
    });
    await published;
  } catch (e) {
    session?.close();
    await writes.catch(() => undefined);
    await published;
    if (e instanceof ClaimLost || lost) {
      deps.log.warn({ jobId: job.id }, 'job taken over by another worker; leaving it');
      return;
    }
    // Shutdown: back to the queue (the next attempt starts clean). Lost lease: another worker has it.
    if (signal.aborted && signal.reason === 'shutdown') {
      await deps.jobs.release(job.id, workerId);
      return;
    }
    if (signal.aborted && (signal.reason === 'lease-lost' || signal.reason === 'abandon')) return;
    await failJob(deps, job, workerId, e);
  }
}

/** Fails a job: the file leaves no trace, the job keeps the reason, subscribers hear `failed`. */
export async function failJob(
  deps: Omit<JobDeps, 'ingestPool'>,
  job: IngestJob,
  workerId: string | null,
  e: unknown,
): Promise<void> {
  const error = toUploadError(e, job.filename);
  if (error.code === 'INTERNAL')
    deps.log.error({ err: e, jobId: job.id, filename: job.filename }, 'ingestion failed');
  // Only the job's holder cleans up (after a lost lease the file belongs to the new worker).
  if (!(await deps.jobs.fail(job.id, workerId, { code: error.code, reason: error.message })))
    return;
  await discardFile(deps, {
    userId: job.userId,
    fileId: job.fileId,
    storageKey: job.storageKey,
    row: true,
  }).catch((err: unknown) =>
    deps.log.error({ err, jobId: job.id }, 'cleanup after a failed job failed'),
  );
  const event = {
    stage: 'failed' as const,
    jobId: job.id,
    uploadId: job.uploadId,
    fileId: null,
    filename: job.filename,
    reason: error.message,
  };
  await deps.progress
    .publish(job.userId, { ...event, done: null, total: null })
    .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'progress publish failed'));
}
