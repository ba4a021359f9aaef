import { randomUUID } from 'node:crypto';

import { eq } from 'drizzle-orm';

import { files } from '../../db/schema/documents';
import type { Deps } from '../../ports/deps';
import type { IngestSession } from '../../ports/ingest-pool';
import type { ChunkRecord } from '../../ports/vector-index';
import { chunkSegments, type ChunkDraft } from './chunker';
import { checkDeadline, type ParseBudget } from './parsers/budget';
import { DocumentError, REFUSAL_MESSAGES, type ParsedDocument } from './parsers/types';
import type { IngestProgress } from './progress';

/** Chunks per embed + upsert round: bounds memory on huge documents. */
const BATCH = 512;
/** Page progress between batches is reported at most this often. */
const PAGE_REPORT_MS = 250;

/** What gets embedded: the heading gives a passage its context. */
export function embeddingText(chunk: Pick<ChunkDraft, 'content' | 'section'>): string {
  return chunk.section && !chunk.content.startsWith(chunk.section)
    ? `${chunk.section}\n\n${chunk.content}`
    : chunk.content;
}

/**
 * Streams a parsed document through the chunker, the embedder and the vector index in batches; returns
 * the number of chunks indexed. A document that yields no chunk is refused as empty.
 */
export async function indexChunks(
  deps: Pick<Deps, 'db' | 'env' | 'embedder' | 'vectorIndex'>,
  job: {
    userId: string;
    fileId: string;
    filename: string;
    category: string | null;
    doc: ParsedDocument & Pick<IngestSession, 'chunks'>;
    budget?: ParseBudget;
    signal?: AbortSignal;
    onProgress: (p: Pick<IngestProgress, 'stage' | 'chunks' | 'pagesDone'>) => void;
  },
): Promise<number> {
  let batch: ChunkDraft[] = [];
  let count = 0;
  let lastPage = 0;
  const flush = async (last = false) => {
    if (batch.length === 0) return;
    job.signal?.throwIfAborted();
    checkDeadline(job.budget);
    const vectors = await deps.embedder.embed(batch.map(embeddingText), {
      kind: 'document',
      signal: job.signal,
    });
    const records: ChunkRecord[] = batch.map((c, i) => ({
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
      embedding: vectors[i]!,
    }));
    await deps.vectorIndex.upsert(job.userId, records);
    count += batch.length;
    batch = [];
    // The last batch's count is committed with the file row itself (one statement less per file).
    if (!last) {
      await deps.db
        .update(files)
        .set({ stage: 'embedded', chunksCount: count })
        .where(eq(files.id, job.fileId));
    }
    job.onProgress({ stage: 'embedded', chunks: count, pagesDone: lastPage || undefined });
  };
  const opts = { size: deps.env.CHUNK_SIZE, overlap: deps.env.CHUNK_OVERLAP };
  // A pooled session chunks in its worker, off this thread; inline, the segments are chunked here.
  const chunks = job.doc.chunks?.(opts) ?? chunkSegments(job.doc.segments, opts);
  let reportedPage = 0;
  let reportedAt = 0;
  for await (const chunk of chunks) {
    batch.push(chunk);
    if (chunk.page && chunk.page !== lastPage) lastPage = chunk.page;
    // Pages can be seconds apart (OCR): report each new page, at most every PAGE_REPORT_MS.
    if (lastPage !== reportedPage && Date.now() - reportedAt >= PAGE_REPORT_MS) {
      reportedPage = lastPage;
      reportedAt = Date.now();
      job.onProgress({ stage: 'chunked', chunks: count + batch.length, pagesDone: lastPage });
    }
    if (batch.length >= BATCH) {
      job.onProgress({
        stage: 'chunked',
        chunks: count + batch.length,
        pagesDone: lastPage || undefined,
      });
      await flush();
    }
  }
  if (batch.length)
    job.onProgress({
      stage: 'chunked',
      chunks: count + batch.length,
      pagesDone: lastPage || undefined,
    });
  await flush(true);
  if (count === 0) throw new DocumentError('empty', REFUSAL_MESSAGES.empty);
  return count;
}
