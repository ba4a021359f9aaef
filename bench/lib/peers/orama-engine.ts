import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';

import type { Embedder } from '@rag/core';

import type { CorpusRecord } from '../beir';
import { renderRecord } from '../ingest-corpus';
import { recordFields, type PeerEngine } from './engine';

const EMBED_BATCH = 128;

export type OramaIndex = { db: AnyOrama; embedder: Embedder };

/**
 * One Orama database with the records' text and, for its hybrid search, the embedding OUR embedder gives
 * the same rendered record: the hybrid comparison is then about the engine, not the embedding model.
 */
export async function buildOramaIndex(
  corpus: readonly CorpusRecord[],
  embedder: Embedder,
): Promise<OramaIndex> {
  const db = create({
    schema: {
      title: 'string',
      text: 'string',
      embedding: `vector[${embedder.dimensions}]`,
    } as const,
  });
  for (let i = 0; i < corpus.length; i += EMBED_BATCH) {
    const batch = corpus.slice(i, i + EMBED_BATCH);
    const vectors = await embedder.embed(batch.map(renderRecord), { kind: 'document' });
    await insertMultiple(
      db,
      batch.map((r, j) => ({ ...recordFields(r), embedding: vectors[j]! })),
    );
  }
  return { db, embedder };
}

const ids = (hits: { id: string }[]) => hits.map((h) => String(h.id));

/** Orama's full-text search (its BM25, default tokenizer and parameters). */
export function oramaBm25(index: OramaIndex, k: number): PeerEngine {
  return {
    name: 'orama-bm25',
    settings: { version: '3.1.18', mode: 'fulltext', options: 'defaults' },
    async search(term) {
      const res = await search(index.db, { term, mode: 'fulltext', limit: k });
      return ids(res.hits);
    },
  };
}

/**
 * Orama's hybrid search with our query embedding and our balance (the raw-score alpha on the vector side).
 * `similarity: 0` keeps every vector candidate, as our index does; the default 0.8 would drop nearly all.
 */
export function oramaHybrid(index: OramaIndex, k: number, alpha: number): PeerEngine {
  return {
    name: 'orama-hybrid',
    settings: {
      version: '3.1.18',
      mode: 'hybrid',
      hybridWeights: { text: 1 - alpha, vector: alpha },
      similarity: 0,
      embedder: index.embedder.id,
    },
    async search(term) {
      const [vector] = await index.embedder.embed([term], { kind: 'query' });
      const res = await search(index.db, {
        term,
        mode: 'hybrid',
        vector: { value: vector!, property: 'embedding' },
        similarity: 0,
        hybridWeights: { text: 1 - alpha, vector: alpha },
        limit: k,
      });
      return ids(res.hits);
    },
  };
}
