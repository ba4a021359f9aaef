import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from './sql-rows';

export type AnnIndex = {
  readonly name: string;
  /** Drops indexes built for another dimension; builds this one when the table is already large enough. */
  init(): Promise<void>;
  /** Counts new rows; once the table crosses the threshold the index is built in the background. */
  noteInserted(rows: number): void;
  /** Builds the index now (idempotent); resolves when it is usable. */
  build(): Promise<void>;
  exists(): Promise<boolean>;
  /** Waits for a background build (before closing the database). */
  settle(): Promise<void>;
};

/**
 * The HNSW cosine index, an expression index on `embedding::vector(<dim>)` (the column is dimensionless).
 * Like Qdrant's indexing threshold, it is built only once the table holds `minChunks` chunks: below that
 * an exact scan of the user's chunks is both exact and cheap, while maintaining HNSW on every insert costs
 * far more than the whole rest of ingestion (notably inside embedded PGlite). Building it in one pass over
 * existing rows is also much cheaper than growing it row by row.
 */
export function createAnnIndex(
  db: Db,
  dim: number,
  minChunks: number,
  onError: (e: unknown) => void,
): AnnIndex {
  const name = `chunks_embedding_hnsw_${dim}`;
  let ready = false;
  let pending: Promise<void> | null = null;
  let sinceCheck = 0;
  let background: Promise<void> | null = null;

  async function exists(): Promise<boolean> {
    const rows = await queryRows(
      db,
      sql`select 1 from pg_indexes where tablename = 'chunks' and indexname = ${name}`,
    );
    return rows.length > 0;
  }

  async function count(): Promise<number> {
    const rows = await queryRows(db, sql`select count(*)::int as n from chunks`);
    return Number(rows[0]?.n ?? 0);
  }

  let rowsAtAnalyze = 0;
  /**
   * Refreshes planner statistics. Without them (embedded PGlite has no autovacuum) the planner never
   * picks the HNSW index for a freshly loaded table.
   */
  async function analyze(): Promise<void> {
    await db.execute(sql`analyze chunks`);
    rowsAtAnalyze = await count();
  }

  function build(): Promise<void> {
    if (ready) return Promise.resolve();
    pending ??= db
      .transaction(async (tx) => {
        await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
        await tx.execute(
          sql.raw(
            `create index if not exists "${name}" on chunks using hnsw ((embedding::vector(${dim})) vector_cosine_ops)`,
          ),
        );
      })
      .then(async () => {
        ready = true;
        await analyze();
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  return {
    name,
    exists,
    build,
    async init() {
      const stale = await queryRows(
        db,
        sql`select indexname from pg_indexes where tablename = 'chunks' and indexname like 'chunks_embedding_hnsw_%' and indexname <> ${name}`,
      );
      for (const r of stale)
        await db.execute(sql.raw(`drop index if exists "${String(r.indexname)}"`));
      ready = await exists();
      const n = await count();
      if (!ready && n >= minChunks) return build();
      // Planner statistics persist with the database: re-analyze only if the table outgrew them.
      const stats = await queryRows(
        db,
        sql`select reltuples::float8 as rows from pg_class where oid = 'chunks'::regclass`,
      );
      rowsAtAnalyze = Math.max(0, Number(stats[0]?.rows ?? 0));
      if (n > rowsAtAnalyze * 1.2 + 1000) await analyze();
    },
    noteInserted(rows) {
      if (pending || background) return;
      sinceCheck += rows;
      if (sinceCheck < Math.min(1000, Math.max(minChunks, 1))) return;
      sinceCheck = 0;
      background = count()
        .then((n) => {
          if (!ready && n >= minChunks) return build();
          if (n > rowsAtAnalyze * 1.2 + 1000) return analyze();
          return undefined;
        })
        .catch(onError)
        .finally(() => {
          background = null;
        });
    },
    async settle() {
      await background;
      await pending?.catch(() => undefined);
    },
  };
}
