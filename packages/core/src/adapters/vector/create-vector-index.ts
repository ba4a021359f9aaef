import type { Logger } from 'pino';

import type { Db } from '../../db/database';
import type { Env } from '../../env';
import type { Embedder } from '../../ports/embedder';
import type { VectorIndex } from '../../ports/vector-index';
import { heldFiles } from '../postgres/write-claims';
import { createPgvectorIndex } from './pgvector-index';
import { retokenizeIfStale } from './retokenize';
import { keywordOptionsFrom } from '../../domain/search/keyword-options';

/** pgvector + BM25 in the database by default; Qdrant (its client loaded only then) when QDRANT_URL is set. */
export async function createVectorIndex({
  env,
  db,
  embedder,
  log,
}: {
  env: Env;
  db: Db;
  embedder: Embedder;
  log?: Logger;
}): Promise<VectorIndex> {
  const bm25 = { k1: env.BM25_K1, b: env.BM25_B };
  const keyword = keywordOptionsFrom(env.BM25_KEYWORD);
  if (env.QDRANT_URL) {
    const { createQdrantIndex } = await import('./qdrant-index');
    return createQdrantIndex({
      url: env.QDRANT_URL,
      apiKey: env.QDRANT_API_KEY,
      collection: env.QDRANT_COLLECTION,
      avgLength: env.QDRANT_BM25_AVG_LENGTH,
      keyword,
      embedder,
      bm25,
      heldFiles: (claims) => heldFiles(db, claims),
    });
  }
  const index = createPgvectorIndex({
    db,
    embedder,
    bm25,
    keyword,
    hnswMinChunks: env.PGVECTOR_HNSW_MIN_CHUNKS,
    efSearch: env.PGVECTOR_EF_SEARCH,
    keywordCacheBytes: env.BM25_CACHE_MB * 2 ** 20,
    warmKeywordCache: true,
    // The embedded database belongs to this process: every write passes through the index.
    exclusiveDatabase: !env.DATABASE_URL,
    onError: (err: unknown) => log?.error({ err }, 'background index maintenance failed'),
  });
  const init = index.init.bind(index);
  // BM25 terms built by another tokenizer version are rebuilt before the first search or cache load.
  index.init = async () => {
    await retokenizeIfStale(db, (msg) => log?.info(msg));
    await init();
  };
  return index;
}
