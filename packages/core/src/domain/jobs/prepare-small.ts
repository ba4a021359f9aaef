import { abortable } from '../../lib/abortable';
import type { IngestJob, NewJob } from '../../ports/job-store';
import type { ChunkRecord } from '../../ports/vector-index';
import {
  checkDeadline,
  chunkOptionsOf,
  chunkRecords,
  DocumentError,
  embeddingText,
  REFUSAL_MESSAGES,
  type ParseBudget,
  type SupportedExtension,
} from '../files';
import type { WholeDocument } from '../../ports/ingest-pool';
import type { IngestStage } from '../../ports/progress-bus';
import type { JobPublisher } from './job-events';
import type { JobDeps } from './run-job';

/** Files up to this size are read whole in one pool task (and run together in batches). */
export const SMALL_FILE_BYTES = 256 * 1024;

export type Prepared = {
  job: IngestJob;
  events: JobPublisher;
  records: ChunkRecord[];
  chunksCount: number;
  pageCount: number | null;
};

type StageInfo = { pageCount: number | null; pagesDone?: number; chunks?: number };

type Publish = (stage: IngestStage, p: StageInfo) => void;
type Read = Omit<Prepared, 'job' | 'events'>;

/** What follows a small job's read: its stages, the empty check, the vectors (unless the pool made them). */
async function recordsOf(
  deps: JobDeps,
  job: IngestJob,
  doc: WholeDocument,
  budget: ParseBudget,
  signal: AbortSignal,
  publish: Publish,
): Promise<Read> {
  const { pageCount, chunks } = doc;
  publish('parsed', { pageCount, pagesDone: 0 });
  if (chunks.length === 0) throw new DocumentError('empty', REFUSAL_MESSAGES.empty);
  const pagesDone = chunks.reduce((p, c) => (c.page ? c.page : p), 0) || undefined;
  publish('chunked', { chunks: chunks.length, pagesDone, pageCount });
  signal.throwIfAborted();
  checkDeadline(budget);
  const vectors =
    doc.vectors ??
    (await deps.embedder.embed(chunks.map(embeddingText), { kind: 'document', signal }));
  const records = chunkRecords(job, chunks, vectors, doc.passages);
  publish('embedded', { chunks: records.length, pagesDone, pageCount });
  return { records, chunksCount: records.length, pageCount };
}

/** A small job's read in the pool, started before the job runs (see {@link readAhead}). */
export type ReadAhead = { jobId: string; budget: ParseBudget; doc: Promise<WholeDocument> };

/**
 * Starts the pool read of a small upload whose bytes are stored and whose job row is being written
 * claimed for this runner: the parse overlaps the enqueue's round trip instead of following it. Its
 * budget counts from here. A read nobody takes (the job was queued, or a duplicate) just ends.
 */
export function readAhead(
  deps: JobDeps,
  job: Pick<NewJob, 'jobId' | 'storageKey' | 'extension' | 'size'>,
  budget: ParseBudget,
): ReadAhead | null {
  if (job.size > SMALL_FILE_BYTES) return null;
  const doc = deps.ingestPool.readWhole(
    deps.blobs.path(job.storageKey),
    job.extension as SupportedExtension,
    budget,
    { chunks: chunkOptionsOf(deps.env), embedder: deps.embedder },
  );
  doc.catch(() => undefined); // heard by the job that takes it, if any
  return { jobId: job.jobId, budget, doc };
}

/**
 * Parses, chunks and embeds one small job in one step of the worker pool (one thread hop, the whole
 * document), returning its records; `publish` hears the streamed path's stages (parsed, chunked,
 * embedded). A refused document rejects with its DocumentError. `ahead`: this job's read, already
 * started (a first attempt's).
 */
export async function readSmallJob(
  deps: JobDeps,
  job: IngestJob,
  budget: ParseBudget,
  signal: AbortSignal,
  publish: Publish,
  ahead?: ReadAhead,
): Promise<Read> {
  if (ahead?.jobId === job.id && job.attempts === 1) {
    const doc = await abortable(ahead.doc, signal);
    return recordsOf(deps, job, doc, ahead.budget, signal, publish);
  }
  // The retry of an interrupted job starts clean.
  if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
  const doc = await deps.ingestPool.readWhole(
    deps.blobs.path(job.storageKey),
    job.extension as SupportedExtension,
    budget,
    { chunks: chunkOptionsOf(deps.env), embedder: deps.embedder },
    signal,
  );
  return recordsOf(deps, job, doc, budget, signal, publish);
}

/**
 * {@link readSmallJob} of several jobs in one pool task (one result message for all): each answer is
 * the job's records or the error it failed with. When the task itself fails (a worker died) every job
 * is read again alone, so only the document at fault fails.
 */
export async function readSmallJobs(
  deps: JobDeps,
  jobs: IngestJob[],
  budget: () => ParseBudget,
  signal: AbortSignal,
  publish: (job: IngestJob) => Publish,
): Promise<(Read | { error: unknown })[]> {
  const alone = () =>
    Promise.all(
      jobs.map((job) =>
        readSmallJob(deps, job, budget(), signal, publish(job)).catch((error: unknown) => ({
          error,
        })),
      ),
    );
  for (const job of jobs) {
    if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
  }
  const budgets = jobs.map(() => budget());
  let docs;
  try {
    docs = await deps.ingestPool.readWholeMany(
      jobs.map((job, i) => ({
        path: deps.blobs.path(job.storageKey),
        ext: job.extension as SupportedExtension,
        budget: budgets[i] as ParseBudget,
      })),
      { chunks: chunkOptionsOf(deps.env), embedder: deps.embedder },
      signal,
    );
  } catch (e) {
    if (signal.aborted || jobs.length === 1) return jobs.map(() => ({ error: e }));
    return alone();
  }
  const out: (Read | { error: unknown })[] = [];
  for (const [i, job] of jobs.entries()) {
    const doc = docs[i];
    if (!doc || doc instanceof DocumentError) {
      out.push({ error: doc ?? new Error('no answer for a document of the group') });
      continue;
    }
    out.push(
      await recordsOf(deps, job, doc, budgets[i] as ParseBudget, signal, publish(job)).catch(
        (error: unknown) => ({ error }),
      ),
    );
  }
  return out;
}
