import type { IngestJob } from '../../ports/job-store';
import type { ChunkRecord } from '../../ports/vector-index';
import {
  checkDeadline,
  chunkRecords,
  DocumentError,
  embeddingText,
  REFUSAL_MESSAGES,
  type SupportedExtension,
} from '../files';
import { jobPublisher, type JobPublisher } from './job-events';
import { jobBudget, type JobDeps } from './run-job';

export type Prepared = {
  job: IngestJob;
  events: JobPublisher;
  records: ChunkRecord[];
  chunksCount: number;
  pageCount: number | null;
};

/**
 * Parses, chunks and embeds one small job in one step of the worker pool (one thread hop, the whole
 * document), keeping its records for the batch write; its progress events are the streamed path's
 * (parsed, chunked, embedded). A refused document rejects with its DocumentError.
 */
export async function prepareSmall(
  deps: JobDeps,
  job: IngestJob,
  signal: AbortSignal,
): Promise<Prepared> {
  const events = jobPublisher(deps, job);
  const budget = jobBudget(deps);
  // The retry of an interrupted job starts clean.
  if (job.attempts > 1) await deps.vectorIndex.deleteByFile(job.userId, job.fileId);
  const doc = await deps.ingestPool.readWhole(
    deps.blobs.path(job.storageKey),
    job.extension as SupportedExtension,
    budget,
    { chunks: { size: deps.env.CHUNK_SIZE, overlap: deps.env.CHUNK_OVERLAP }, embedder: deps.embedder },
    signal,
  );
  const { pageCount, chunks } = doc;
  events.publish('parsed', { pageCount, pagesDone: 0 });
  if (chunks.length === 0) throw new DocumentError('empty', REFUSAL_MESSAGES.empty);
  const pagesDone = chunks.reduce((p, c) => (c.page ? c.page : p), 0) || undefined;
  events.publish('chunked', { chunks: chunks.length, pagesDone, pageCount });
  signal.throwIfAborted();
  checkDeadline(budget);
  const vectors =
    doc.vectors ??
    (await deps.embedder.embed(chunks.map(embeddingText), { kind: 'document', signal }));
  const records = chunkRecords(job, chunks, vectors);
  events.publish('embedded', { chunks: records.length, pagesDone, pageCount });
  return { job, events, records, chunksCount: records.length, pageCount };
}
