import { and, eq, gt, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { appMeta } from '../../db/schema/core';
import { files } from '../../db/schema/documents';
import type { Embedder } from '../../ports/embedder';

export type IndexSignature = { embedder: string; dimensions: number };

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
  db: Db,
  embedder: Embedder,
  kind: 'pgvector' | 'qdrant',
): Promise<void> {
  const key = `index_signature:${kind}`;
  const current: IndexSignature = { embedder: embedder.id, dimensions: embedder.dimensions };
  const [row] = await db.select().from(appMeta).where(eq(appMeta.key, key));
  const stored = row?.value as IndexSignature | undefined;
  if (stored && stored.embedder === current.embedder && stored.dimensions === current.dimensions)
    return;
  if (stored) {
    const [indexed] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(files)
      .where(and(eq(files.status, 'indexed'), gt(files.chunksCount, 0)));
    if ((indexed?.n ?? 0) > 0) throw new IndexSignatureMismatchError(kind, stored, current);
  }
  await db
    .insert(appMeta)
    .values({ key, value: current })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: current, updatedAt: new Date() } });
}
