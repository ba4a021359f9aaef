import type { Deps } from '../../ports/deps';
import {
  discardFile,
  documentBudget,
  fileGoneError,
  indexChunks,
  removeReplaced,
  toUploadError,
  type ParseBudget,
  type SupportedExtension,
} from '../files';
import type { IngestJob, JobProgress } from '../../ports/job-store';
import type { IngestSession } from '../../ports/ingest-pool';
import { FINISHED_JOB } from '../../ports/progress-bus';
import type { WriteClaim } from '../../ports/vector-index';
import { jobPublisher, type JobPublisher } from './job-events';
import { readSmallJob, SMALL_FILE_BYTES, type ReadAhead } from './prepare-small';

export type JobDeps = Pick<
  Deps,
  | 'files'
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
export class ClaimLost extends Error {}

/** The claim a job's chunk writes are made under (a runner that lost it writes nothing). */
export const claimOf = (job: IngestJob, workerId: string): WriteClaim => ({
  workerId,
  jobs: [{ jobId: job.id, fileId: job.fileId }],
});

/**
 * The job row's progress (its file row's too) is written at most this often after `parsed`: events
 * carry every step at once; the rows serve status reads, and a write per stage and batch was up to a
 * third of a streamed document's statements.
 */
const PROGRESS_WRITE_MS = 1000;

/**
 * The job row's progress, written one update after another; a lost claim is noticed at the next (the
 * chunk writes check the claim themselves, so a spaced-out write loses nothing). Progress within
 * PROGRESS_WRITE_MS of the last write waits for the window to end (the latest then goes), so the rows
 * never lag behind by more than that; `settle` and `drain` drop what still waits (the job's end
 * writes its final state).
 */
export function jobRecorder(
  deps: { jobs: Pick<JobDeps['jobs'], 'progress'> },
  job: Pick<IngestJob, 'id'>,
  workerId: string,
) {
  let writes = Promise.resolve();
  let lost = false;
  let lastWrite = -Infinity;
  let waiting: JobProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = (p: JobProgress) => {
    lastWrite = Date.now();
    writes = writes.then(async () => {
      if (!lost && !(await deps.jobs.progress(job.id, workerId, p))) lost = true;
    });
  };
  const dropWaiting = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    waiting = null;
  };
  return {
    record(p: JobProgress, force = false) {
      const wait = lastWrite + PROGRESS_WRITE_MS - Date.now();
      if (force || wait <= 0) {
        dropWaiting();
        return write(p);
      }
      waiting = p;
      timer ??= setTimeout(() => {
        const latest = waiting;
        dropWaiting();
        if (latest) write(latest);
      }, wait);
    },
    async settle() {
      dropWaiting();
      await writes;
      if (lost) throw new ClaimLost();
    },
    async drain() {
      dropWaiting();
      await writes.catch(() => undefined);
      return lost;
    },
  };
}

/** What parsing one job's document may cost (time counts from here). */
export const jobBudget = (deps: Pick<JobDeps, 'env'>) => documentBudget(deps.env);

/** Parses a job's stored file in the worker pool (the retry of an interrupted job starts clean). */
export async function openJobDocument(
  deps: JobDeps,
  job: IngestJob,
  signal: AbortSignal,
  budget: ParseBudget,
): Promise<IngestSession> {
  if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
  return deps.ingestPool.open(
    deps.blobs.path(job.storageKey),
    job.extension as SupportedExtension,
    budget,
    signal,
  );
}

/**
 * Marks an indexed job's file indexed and the job done, in one statement (one file: the per-job path
 * and the fallback of a batch); a concurrent upload of the same bytes that won makes ours a duplicate,
 * answered with it.
 */
export async function commitJob(
  deps: JobDeps,
  job: IngestJob,
  workerId: string,
  events: JobPublisher,
  indexed: { chunksCount: number; pageCount: number | null },
): Promise<void> {
  // Just the counts (callers pass their read, records included).
  const counts = { chunksCount: indexed.chunksCount, pageCount: indexed.pageCount };
  const outcome = await deps.jobs.commitIndexed(workerId, {
    jobId: job.id,
    userId: job.userId,
    fileId: job.fileId,
    filename: job.filename,
    sha256: job.sha256,
    ...counts,
  });
  if (outcome.kind === 'lost') throw new ClaimLost();
  if (outcome.kind === 'gone') throw fileGoneError();
  let result = { resultFileId: job.fileId, ...counts };
  if (outcome.kind === 'committed')
    await removeReplaced(
      deps,
      outcome.replaced.map((r) => ({ userId: job.userId, ...r })),
    );
  else {
    await discardFile(deps, {
      userId: job.userId,
      fileId: job.fileId,
      storageKey: job.storageKey,
      row: true,
    });
    const { fileId, ...existing } = outcome.existing;
    result = { resultFileId: fileId, ...existing };
    if (!(await deps.jobs.finish(job.id, workerId, { ...result, duplicate: true })))
      throw new ClaimLost();
  }
  events.publish('indexed', {
    fileId: result.resultFileId,
    chunks: result.chunksCount,
    pageCount: result.pageCount,
    // The row as the commit (or `finish`) left it: a waiting upload here needs no read.
    [FINISHED_JOB]: {
      ...job,
      ...result,
      status: 'done',
      duplicate: outcome.kind === 'duplicate',
      errorCode: null,
      reason: null,
    },
  });
}

/**
 * Ends a job that threw: a shutdown puts it back in the queue (the next attempt starts clean), a lost
 * lease or an abandon leaves it to whoever recovers it, anything else fails it.
 */
export async function endInterrupted(
  deps: JobDeps,
  job: IngestJob,
  workerId: string,
  signal: AbortSignal,
  e: unknown,
  written: Written = 'maybe',
): Promise<void> {
  if (e instanceof ClaimLost) {
    deps.log.warn({ jobId: job.id }, 'job taken over by another worker; leaving it');
    return;
  }
  if (signal.aborted && signal.reason === 'shutdown') {
    await deps.jobs.release(job.id, workerId);
    return;
  }
  if (signal.aborted && (signal.reason === 'lease-lost' || signal.reason === 'abandon')) return;
  await failJob(deps, job, workerId, e, written);
}

/**
 * Runs one claimed job to its end: parse (worker pool) → chunk → embed (worker pool) → index → commit.
 * A failure discards the file (chunks, row, blob) and records the reason on the job. `shutdown`
 * aborting puts the job back in the queue for the next worker instead. `ahead`: a small job's read,
 * started while its row was written.
 */
export async function runJob(
  deps: JobDeps,
  job: IngestJob,
  workerId: string,
  signal: AbortSignal,
  ahead?: ReadAhead,
): Promise<void> {
  const events = jobPublisher(deps, job);
  const rows = jobRecorder(deps, job, workerId);
  let session: IngestSession | null = null;
  // A first attempt has no chunks until its first write starts, so a refusal before it deletes none
  // (a batch whose shared write failed removed its chunks before running its jobs alone; a retry
  // deletes the last attempt's first).
  let written: Written = job.attempts === 1 ? 'none' : 'maybe';
  try {
    const budget = jobBudget(deps);
    if (job.size <= SMALL_FILE_BYTES) {
      // Read whole in one pool task; its stages are published, the row goes from running to indexed
      // (no stage write: the chunk write checks the claim in its own transaction, so a worker that
      // lost its lease stores nothing, and its commit finds the job lost).
      const read = await readSmallJob(
        deps,
        job,
        budget,
        signal,
        (stage, p) => events.publish(stage, p),
        ahead,
      );
      signal.throwIfAborted();
      written = 'maybe';
      await deps.vectorIndex.upsert(job.userId, read.records, claimOf(job, workerId));
      await commitJob(deps, job, workerId, events, read);
      await events.flushed();
      return;
    }
    const doc = (session = await openJobDocument(deps, job, signal, budget));
    rows.record({ stage: 'parsed', pageCount: doc.pageCount, pagesDone: 0 }, true);
    await rows.settle();
    events.publish('parsed', { pageCount: doc.pageCount, pagesDone: 0 });
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
        claim: claimOf(job, workerId),
        onProgress: (p) => {
          written = 'maybe'; // a batch is cut: its write may follow
          // The rows count chunks stored (`embedded`), never ones only cut.
          const chunksCount = p.stage === 'embedded' ? p.chunks : undefined;
          rows.record({ stage: p.stage, chunksCount, pagesDone: p.pagesDone ?? null });
          events.publish(p.stage, {
            chunks: p.chunks,
            pagesDone: p.pagesDone,
            pageCount: doc.pageCount,
          });
        },
      },
    );
    session.close();
    await rows.settle();
    await commitJob(deps, job, workerId, events, { chunksCount, pageCount: doc.pageCount });
    await events.flushed();
  } catch (e) {
    session?.close();
    const lost = await rows.drain();
    await events.flushed();
    await endInterrupted(deps, job, workerId, signal, lost ? new ClaimLost() : e, written);
  }
}

/** Whether a job may have stored chunks (`none`: certainly not, nothing to delete when it fails). */
export type Written = 'none' | 'maybe';

/**
 * The file removed and the job marked failed; false when the job is not ours to fail. Only the job's
 * holder cleans up (after a lost lease the file belongs to the new worker). The file goes before the
 * row says failed: a waiting upload answers on that status and must find nothing left.
 */
async function discardAndFail(
  deps: Omit<JobDeps, 'ingestPool'>,
  job: IngestJob,
  workerId: string | null,
  f: { code: string; reason: string },
  written: Written,
): Promise<boolean> {
  const cleanupFailed = (err: unknown) =>
    deps.log.error({ err, jobId: job.id }, 'cleanup after a failed job failed');
  // The claim is checked before anything is removed (after a lost lease the file is the new
  // holder's), and the blob goes before the row says failed.
  if (workerId !== null && !(await deps.jobs.progress(job.id, workerId, { stage: 'failed' })))
    return false;
  // No chunks to remove: the file row and the job are one statement.
  if (workerId !== null && written === 'none') {
    await deps.blobs.delete(job.storageKey).catch(cleanupFailed);
    return deps.jobs.failDiscardingFile(job.id, workerId, f);
  }
  await discardFile(deps, {
    userId: job.userId,
    fileId: job.fileId,
    storageKey: job.storageKey,
    row: true,
    chunks: written === 'maybe',
  }).catch(cleanupFailed);
  return deps.jobs.fail(job.id, workerId, f);
}

/** Fails a job: the file leaves no trace, the job keeps the reason, subscribers hear `failed`. */
export async function failJob(
  deps: Omit<JobDeps, 'ingestPool'>,
  job: IngestJob,
  workerId: string | null,
  e: unknown,
  written: Written = 'maybe',
): Promise<void> {
  let error = toUploadError(e, job.filename);
  // A file deleted before its job read it (still queued) fails on its missing bytes: say what happened.
  const row =
    error.code === 'INTERNAL'
      ? await deps.files.get(job.userId, job.fileId).catch(() => 'unread')
      : 'unread';
  if (row === null) error = toUploadError(fileGoneError(), job.filename);
  if (error.code === 'INTERNAL')
    deps.log.error({ err: e, jobId: job.id, filename: job.filename }, 'ingestion failed');
  if (
    !(await discardAndFail(
      deps,
      job,
      workerId,
      { code: error.code, reason: error.message },
      written,
    ))
  )
    return;
  const event = {
    stage: 'failed' as const,
    jobId: job.id,
    uploadId: job.uploadId,
    fileId: null,
    filename: job.filename,
    reason: error.message,
    [FINISHED_JOB]: {
      ...job,
      status: 'failed' as const,
      errorCode: error.code,
      reason: error.message,
    },
  };
  await deps.progress
    .publish(job.userId, { ...event, done: null, total: null })
    .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'progress publish failed'));
}
