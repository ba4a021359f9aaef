import { randomUUID } from 'node:crypto';

import type { Deps } from '../../ports/deps';
import type { IngestSession } from '../../ports/ingest-pool';
import type { ChunkRecord, Embedding, WriteClaim } from '../../ports/vector-index';
import { chunkOptionsOf, chunkSegments, type ChunkDraft } from './chunker';
import { checkDeadline, type ParseBudget } from './parsers/budget';
import { DocumentError, REFUSAL_MESSAGES, type ParsedDocument } from './parsers/types';
import type { IngestProgress } from './progress';
import { words } from '../search';

/** Chunks per embed + write round: bounds memory on huge documents. */
export const WRITE_BATCH = 512;
/** Page progress between batches is reported at most this often. */
const PAGE_REPORT_MS = 250;

/** What gets embedded: the heading gives a passage its context. */
export function embeddingText(chunk: Pick<ChunkDraft, 'content' | 'section'>): string {
  return chunk.section && !chunk.content.startsWith(chunk.section)
    ? `${chunk.section}\n\n${chunk.content}`
    : chunk.content;
}

/**
 * `words(embeddingText(chunk))` from the content's words, which the ingest worker has already split for
 * BM25: the blank line between heading and content is a word boundary, so the heading's words come first.
 */
export function embeddingWords(
  chunk: Pick<ChunkDraft, 'content' | 'section'>,
  contentWords: readonly string[],
): readonly string[] {
  return chunk.section && !chunk.content.startsWith(chunk.section)
    ? [...words(chunk.section), ...contentWords]
    : contentWords;
}

export type ChunkJob = {
  userId: string;
  fileId: string;
  filename: string;
  category: string | null;
  /** A pooled session's document also chunks in its worker (`chunks`), off this thread. */
  doc: ParsedDocument & Partial<Pick<IngestSession, 'chunks'>>;
  budget?: ParseBudget;
  signal?: AbortSignal;
  /** The job claim the chunk writes depend on (a runner that lost it writes nothing). */
  claim?: WriteClaim;
  onProgress: (p: Pick<IngestProgress, 'stage' | 'chunks' | 'pagesDone'>) => void;
};

/** One write round: the chunk drafts and the last page they reach. */
type DraftBatch = { drafts: ChunkDraft[]; lastPage: number };

/** Inline chunks in arrays of WRITE_BATCH (a pooled session's come in the worker's batches). */
async function* inWriteBatches(chunks: AsyncIterable<ChunkDraft>): AsyncGenerator<ChunkDraft[]> {
  let batch: ChunkDraft[] = [];
  for await (const chunk of chunks) {
    batch.push(chunk);
    if (batch.length >= WRITE_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * The document's chunks in write batches: each batch the source hands over (at most WRITE_BATCH), as
 * it comes, so a pooled document's writes go on while its worker parses the next pages.
 */
async function* draftBatches(
  job: ChunkJob,
  env: Deps['env'],
  embedder: Deps['embedder'],
): AsyncGenerator<DraftBatch> {
  let batch: ChunkDraft[] = [];
  let lastPage = 0;
  let reportedPage = 0;
  let reportedAt = 0;
  const opts = chunkOptionsOf(env);
  // A pooled session chunks in its worker, off this thread; inline, the segments are chunked here.
  const sources =
    job.doc.chunks?.(opts, embedder) ?? inWriteBatches(chunkSegments(job.doc.segments, opts));
  for await (const source of sources) {
    for (const chunk of source) {
      batch.push(chunk);
      if (chunk.page && chunk.page !== lastPage) lastPage = chunk.page;
      // Pages can be seconds apart (OCR): report each new page, at most every PAGE_REPORT_MS.
      if (lastPage !== reportedPage && Date.now() - reportedAt >= PAGE_REPORT_MS) {
        reportedPage = lastPage;
        reportedAt = Date.now();
        job.onProgress({ stage: 'chunked', chunks: batch.length, pagesDone: lastPage });
      }
      if (batch.length >= WRITE_BATCH) {
        yield { drafts: batch, lastPage };
        batch = [];
      }
    }
    if (batch.length) yield { drafts: batch, lastPage };
    batch = [];
  }
}

/** The records the vector index stores for a document's drafts and their vectors (one each). */
export function chunkRecords(
  job: Pick<ChunkJob, 'userId' | 'fileId' | 'filename'>,
  drafts: ChunkDraft[],
  vectors: readonly Embedding[],
  passages?: readonly (ChunkRecord['passage'] | undefined)[],
): ChunkRecord[] {
  return drafts.map((c, i) => {
    const embedding = vectors[i];
    if (!embedding) throw new Error(`the embedder returned ${vectors.length} of ${drafts.length}`);
    return {
      id: randomUUID(),
      userId: job.userId,
      fileId: job.fileId,
      filename: job.filename,
      chunkIndex: c.index,
      content: c.content,
      page: c.page,
      pageLabel: c.pageLabel,
      section: c.section,
      charStart: c.charStart,
      charEnd: c.charEnd,
      embedding,
      ...(passages?.[i] ? { passage: passages[i] } : {}),
    };
  });
}

/** Embeds one batch of drafts as the records the vector index stores (unless the pool did). */
async function embedRecords(
  embedder: Deps['embedder'],
  job: ChunkJob,
  drafts: ChunkDraft[],
): Promise<ChunkRecord[]> {
  const pooled = drafts.map((d) => d.vector);
  const vectors = pooled.every((v) => v !== undefined)
    ? pooled
    : await embedder.embed(drafts.map(embeddingText), { kind: 'document', signal: job.signal });
  return chunkRecords(
    job,
    drafts,
    vectors,
    drafts.map((d) => d.passage),
  );
}

/**
 * Streams a parsed document through the chunker and the embedder in batches, handing each batch's
 * records to `write`; returns the number of chunks.
 * A document that yields no chunk is refused as empty.
 */
async function chunkAndEmbed(
  deps: Pick<Deps, 'env' | 'embedder'>,
  job: ChunkJob,
  write: (records: ChunkRecord[]) => Promise<void>,
): Promise<number> {
  let count = 0;
  // One write in flight while the next batch is embedded (the database and the embedder overlap).
  // It never rejects (an unawaited rejection would be unhandled): its failure is kept and rethrown.
  let writing: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | null = null;
  const settled = async () => {
    await writing;
    if (failed) throw failed.error;
  };
  try {
    for await (const { drafts, lastPage } of draftBatches(job, deps.env, deps.embedder)) {
      const pagesDone = lastPage || undefined;
      job.onProgress({ stage: 'chunked', chunks: count + drafts.length, pagesDone });
      job.signal?.throwIfAborted();
      checkDeadline(job.budget);
      const records = await embedRecords(deps.embedder, job, drafts);
      count += records.length;
      const written = count;
      await settled();
      writing = write(records).then(
        () => job.onProgress({ stage: 'embedded', chunks: written, pagesDone }),
        (error: unknown) => {
          failed = { error };
        },
      );
    }
    await settled();
  } catch (e) {
    // Nothing may still be writing when the caller cleans up after a failure.
    await writing;
    throw e;
  }
  if (count === 0) throw new DocumentError('empty', REFUSAL_MESSAGES.empty);
  return count;
}

/**
 * Chunks, embeds and indexes a parsed document batch by batch (bounded memory on huge documents);
 * returns the number of chunks indexed.
 */
export function indexChunks(
  deps: Pick<Deps, 'env' | 'embedder' | 'vectorIndex'>,
  job: ChunkJob,
): Promise<number> {
  // The file row's count follows the job's progress writes (`onProgress`), not a write per batch.
  return chunkAndEmbed(deps, job, (records) =>
    deps.vectorIndex.upsert(job.userId, records, job.claim),
  );
}
