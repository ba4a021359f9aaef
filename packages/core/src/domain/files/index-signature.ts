import type { ChunkStore, IndexSignature } from '../../ports/chunk-store';
import type { Embedder } from '../../ports/embedder';

export type { IndexSignature };

export class IndexSignatureMismatchError extends Error {
  constructor(kind: string, stored: IndexSignature, current: IndexSignature) {
    super(
      `The ${kind} index was built with the embedder "${stored.embedder}" (${stored.dimensions} dimensions), ` +
        `but the configured embedder is "${current.embedder}" (${current.dimensions} dimensions). ` +
        `Vectors from different embedders cannot be compared. Either configure the original embedder again ` +
        `(EMBEDDING_PROVIDER / EMBEDDING_MODEL / EMBEDDING_DIMENSIONS), or delete every document ` +
        `(DELETE /collection/reset for each user) and upload them again with the new embedder.`,
    );
    this.name = 'IndexSignatureMismatchError';
  }
}

/**
 * Records which embedder built the index on first start; afterwards refuses to start with a different
 * embedder or dimension while any document is indexed (mixing vector spaces would silently break search).
 * With no documents indexed the new embedder simply takes over.
 */
export async function ensureIndexSignature(
  store: ChunkStore,
  embedder: Embedder,
  kind: 'pgvector' | 'qdrant',
): Promise<void> {
  const current: IndexSignature = { embedder: embedder.id, dimensions: embedder.dimensions };
  const stored = await store.readSignature(kind);
  if (stored && stored.embedder === current.embedder && stored.dimensions === current.dimensions)
    return;
  if (stored && (await store.hasIndexedChunks()))
    throw new IndexSignatureMismatchError(kind, stored, current);
  await store.writeSignature(kind, current);
}
