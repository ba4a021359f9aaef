import { sql } from 'drizzle-orm';

import { isEmbeddedDb, type Db } from '../../db/database';
import { runAsBackground } from '../../lib/work-priority';
import { annShadow, staleShadows } from './pgvector-ann-shadow';
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
  /**
   * The table semantic search reads vectors from through the index (joined to `chunks` on `id`, its
   * vector column `vec`), or null: the chunks table itself (exact scan, or its own HNSW index).
   */
  searchTable(): string | null;
};

export type AnnOptions = {
  /**
   * Chunks copied per step of an embedded build (each step one short statement). Default: adapted after
   * each step so that one takes about STEP_TARGET_MS (an HNSW insert costs 1–15 ms a row, by load).
   */
  stepRows?: number;
  /** Called after each step of an embedded build (tests observe the interleaving). */
  onStep?: (copied: number) => void | Promise<void>;
};

/** How long one step of an embedded build should hold the backend (a request may wait that long). */
const STEP_TARGET_MS = 20;

/** The next step's size: the last one scaled to the target duration, within bounds. */
function nextStepRows(rows: number, elapsedMs: number): number {
  const scaled = Math.round((rows * STEP_TARGET_MS) / Math.max(elapsedMs, 1));
  return Math.min(Math.max(scaled, 4), Math.max(rows * 2, 4), 1024);
}

/**
 * The HNSW cosine index. Like Qdrant's indexing threshold, it is built only once the table holds
 * `minChunks` chunks: below that an exact scan of the user's chunks is both exact and cheap, while
 * maintaining HNSW on every insert costs far more than the whole rest of ingestion (notably inside
 * embedded PGlite). The build never blocks requests: on Postgres `CREATE INDEX CONCURRENTLY` on the
 * expression `embedding::vector(<dim>)`; on embedded PGlite (one backend, where any statement holds every
 * request) a shadow table back-filled in short background steps (pgvector-ann-shadow.ts), searched once
 * complete. An expression index left by an earlier version is used as it is.
 */
export function createAnnIndex(
  db: Db,
  dim: number,
  minChunks: number,
  onError: (e: unknown) => void,
  opts: AnnOptions = {},
): AnnIndex {
  const embedded = isEmbeddedDb(db);
  const expression = `chunks_embedding_hnsw_${dim}`;
  const shadow = annShadow(db, dim);
  const fixedStep = opts.stepRows;
  let ready = false;
  let table: string | null = null;
  let pending: Promise<void> | null = null;
  /** The rows last counted plus those inserted since: exact but for deletes, which it overestimates. */
  let known = 0;
  let background: Promise<void> | null = null;

  /** The expression index on chunks (valid: a failed concurrent build leaves an invalid one). */
  async function expressionIndex(): Promise<'valid' | 'invalid' | null> {
    const rows = await queryRows(
      db,
      sql`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
          where c.relname = ${expression}`,
    );
    if (rows.length === 0) return null;
    return rows[0]?.valid === true ? 'valid' : 'invalid';
  }

  async function exists(): Promise<boolean> {
    if ((await expressionIndex()) === 'valid') return true;
    return embedded && (await shadow.state()) === 'complete';
  }

  async function count(): Promise<number> {
    const rows = await queryRows(db, sql`select count(*)::int as n from chunks`);
    return Number(rows[0]?.n ?? 0);
  }

  let rowsAtAnalyze = 0;
  // Statistics stay good while the table at most doubles: a bulk load of N chunks analyzes ~log2(N/1000)
  // times (each analyze reads a sample of every column, vectors and tsvectors included; at +20 % a
  // 14,000-chunk load analyzed 7 times for ~0.8 s of the embedded database's time).
  const outgrown = (n: number) => n > rowsAtAnalyze * 2 + 1000;
  /**
   * Refreshes planner statistics. Without them (embedded PGlite has no autovacuum) the planner never
   * picks the HNSW index for a freshly loaded table.
   */
  async function analyze(): Promise<void> {
    await db.execute(sql`analyze chunks`);
    if (table) await db.execute(sql.raw(`analyze ${table}`));
    rowsAtAnalyze = known = await count();
  }

  async function buildInSteps(): Promise<void> {
    const state = await shadow.state();
    if (state === 'broken') await shadow.drop();
    if (state === 'broken' || state === 'absent') await shadow.create();
    if (state !== 'complete') {
      // From the start on a resumed build too: rows copied before are skipped (`on conflict`).
      let after: string | null = null;
      let copied = 0;
      let rows = fixedStep ?? 16;
      do {
        const t0 = performance.now();
        after = await shadow.step(after, rows);
        copied += rows;
        if (fixedStep === undefined) rows = nextStepRows(rows, performance.now() - t0);
        await opts.onStep?.(copied);
      } while (after !== null);
      await shadow.complete();
    }
    table = shadow.table;
  }

  async function buildConcurrently(): Promise<void> {
    // A failed concurrent build leaves an invalid index that `if not exists` would keep.
    if ((await expressionIndex()) === 'invalid')
      await db.execute(sql.raw(`drop index concurrently if exists "${expression}"`));
    await db.execute(
      sql.raw(
        `create index concurrently if not exists "${expression}" on chunks using hnsw ((embedding::vector(${dim})) vector_cosine_ops)`,
      ),
    );
  }

  function build(): Promise<void> {
    if (ready) return Promise.resolve();
    // Nobody waits on it interactively: on the embedded database requests go first between steps.
    pending ??= runAsBackground(async () => {
      await (embedded ? buildInSteps() : buildConcurrently());
      ready = true;
      await analyze();
    }).finally(() => {
      pending = null;
    });
    return pending;
  }

  async function init() {
    const stale = await queryRows(
      db,
      sql`select indexname from pg_indexes where tablename = 'chunks' and indexname like 'chunks_embedding_hnsw_%' and indexname <> ${expression}`,
    );
    for (const r of stale)
      await db.execute(sql.raw(`drop index if exists "${String(r.indexname)}"`));
    if (embedded) for (const d of await staleShadows(db, dim)) await annShadow(db, d).drop();
    const n = (known = await count());
    if ((await expressionIndex()) === 'valid') ready = true;
    else if (embedded) {
      const state = await shadow.state();
      if (state === 'complete') [ready, table] = [true, shadow.table];
      else if (state === 'broken') await shadow.drop();
      // An interrupted build resumes whatever the count (its triggers already mirror every write).
      else if (state === 'partial') return build();
    }
    if (!ready && n >= minChunks) return build();
    // Planner statistics persist with the database: re-analyze only if the table outgrew them.
    const stats = await queryRows(
      db,
      sql`select reltuples::float8 as rows from pg_class where oid = 'chunks'::regclass`,
    );
    rowsAtAnalyze = Math.max(0, Number(stats[0]?.rows ?? 0));
    if (outgrown(n)) await analyze();
  }

  return {
    name: embedded ? shadow.indexName : expression,
    exists,
    build,
    init,
    searchTable: () => table,
    noteInserted(rows) {
      known += rows;
      // The table is counted (a scan of every chunk) only when the estimate says a decision is due.
      const due = (!ready && known >= minChunks) || outgrown(known);
      if (pending || background || !due) return;
      background = runAsBackground(count)
        .then((n) => {
          known = n;
          if (!ready && n >= minChunks) return build();
          if (outgrown(n)) return runAsBackground(analyze);
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
