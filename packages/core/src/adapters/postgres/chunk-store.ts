import { and, eq, gt, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { appMeta } from '../../db/schema/core';
import { files } from '../../db/schema/documents';
import type { ChunkStore, IndexSignature } from '../../ports/chunk-store';

const signatureKey = (kind: string) => `index_signature:${kind}`;

function isSignature(v: unknown): v is IndexSignature {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.embedder === 'string' && typeof o.dimensions === 'number';
}

/** The chunk store on PGlite and Postgres alike. */
export function createPostgresChunkStore(db: Db): ChunkStore {
  return {
    async readSignature(kind) {
      const [row] = await db
        .select()
        .from(appMeta)
        .where(eq(appMeta.key, signatureKey(kind)));
      return isSignature(row?.value) ? row.value : null;
    },
    async writeSignature(kind, value) {
      await db
        .insert(appMeta)
        .values({ key: signatureKey(kind), value })
        .onConflictDoUpdate({ target: appMeta.key, set: { value, updatedAt: new Date() } });
    },
    async hasIndexedChunks() {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(files)
        .where(and(eq(files.status, 'indexed'), gt(files.chunksCount, 0)));
      return (row?.n ?? 0) > 0;
    },
  };
}
