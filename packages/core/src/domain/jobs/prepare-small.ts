import type { IngestJob } from '../../ports/job-store';
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

/**
 * Parses, chunks and embeds one small job in one step of the worker pool (one thread hop, the whole
 * document), returning its records; `publish` hears the streamed path's stages (parsed, chunked,
 * embedded). A refused document rejects with its DocumentError.
 */
export async function readSmallJob(
  deps: JobDeps,
  job: IngestJob,
  budget: ParseBudget,
  signal: AbortSignal,
  publish: (stage: IngestStage, p: StageInfo) => void,
): Promise<Omit<Prepared, 'job' | 'events'>> {
  // The retry of an interrupted job starts clean.
  if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
  const doc = await deps.ingestPool.readWhole(
    deps.blobs.path(job.storageKey),
    job.extension as SupportedExtension,
    budget,
    {
      chunks: chunkOptionsOf(deps.env),
      embedder: deps.embedder,
    },
    signal,
  );
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
  const records = chunkRecords(job, chunks, vectors);
  publish('embedded', { chunks: records.length, pagesDone, pageCount });
  return { records, chunksCount: records.length, pageCount };
}
