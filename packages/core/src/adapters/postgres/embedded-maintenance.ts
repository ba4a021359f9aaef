/**
 * What Postgres's background workers do, for the embedded database. PGlite runs Postgres without them,
 * so nothing here happens unless this does it. Postgres (DATABASE_URL) has them and does not use this.
 *
 * - **Vacuum and analyze** (autovacuum's rule and thresholds). Nothing else reclaims the row versions
 *   that updates and deletes leave behind: every chunk write upserts `term_stats`, every job row is
 *   updated three or four times, a replaced or deleted file leaves its chunks dead. Without it tables
 *   and indexes only grow, and planner statistics go stale.
 * - **Checkpoints** (the checkpointer's `checkpoint_timeout` and a WAL volume). Otherwise the only
 *   checkpoint before shutdown comes at `max_wal_size` (1 GB): the write-ahead log grows that large on
 *   disk, and a restart after a crash replays all of it.
 *
 * Each statement holds PGlite's one backend, and every request waits for it. A vacuum's heap part is
 * short; its index part scans every index whole: on scifact's 5,360 chunks with a third deleted, 610 ms
 * with the index cleanup against 32 ms without, and 23 s for an HNSW index of 5,000 vectors (pgvector
 * repairs the graph), against 10–20 ms for the B-trees of 60,000 `term_stats` rows. So a table's
 * indexes are cleaned unless it has a graph index, or a GIN index (`chunks`' terms) over more rows than
 * stay under a second; then the rows' space is reclaimed and their index entries stay.
 */
import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { runAsBackground } from '../../lib/work-priority';
import { queryRows } from './sql-helpers';

/** Autovacuum's defaults (`autovacuum_vacuum_threshold`, `…_scale_factor`, `…_analyze_…`, freeze age). */
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const FREEZE_AGE = 150_000_000;
/**
 * `chunks` is analyzed by the vector index's own rule (when it doubles: each ANALYZE samples its
 * vectors and tsvectors), so here it is only vacuumed.
 */
const ANALYZED_ELSEWHERE = new Set(['chunks']);
/** Rows (live and dead) up to which a table with a GIN index has its indexes cleaned (≈ 1 s for `chunks`). */
const INDEX_CLEANUP_ROWS = 10_000;
/** A checkpoint once this much WAL was written since the last one (four 16 MB segments)… */
const CHECKPOINT_WAL_BYTES = 64 * 2 ** 20;
/** …or once the last is `checkpoint_timeout`'s default old and any WAL was written since. */
const CHECKPOINT_SECONDS = 300;
const CHECKPOINT_MIN_BYTES = 2 ** 20;

export type MaintenanceRun =
  | {
      action: 'vacuum' | 'analyze';
      table: string;
      /** Whether the vacuum cleaned the table's indexes too. */
      indexes?: boolean;
      ms: number;
    }
  | { action: 'checkpoint'; walBytes: number; ms: number };

type Candidate = {
  table: string;
  dead: number;
  live: number;
  modified: number;
  xidAge: number;
  /** The table has an HNSW or IVFFlat index. */
  graph: boolean;
  /** The table has a GIN index. */
  gin: boolean;
};

export type EmbeddedMaintenance = {
  /** Vacuums or analyzes each table past its threshold, one at a time, then checkpoints if due. */
  tick(): Promise<MaintenanceRun[]>;
  /** Checks every `intervalMs` (an unref'd timer) until stopped. */
  start(intervalMs: number): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
};

export function createEmbeddedMaintenance(
  db: Db,
  opts: {
    onRun?: (run: MaintenanceRun) => void;
    onError?: (e: unknown) => void;
    /** Default INDEX_CLEANUP_ROWS (tests lower it). */
    indexCleanupRows?: number;
    /** Default CHECKPOINT_WAL_BYTES (tests lower it). */
    checkpointWalBytes?: number;
  } = {},
): EmbeddedMaintenance {
  const indexCleanupRows = opts.indexCleanupRows ?? INDEX_CLEANUP_ROWS;
  const checkpointWalBytes = opts.checkpointWalBytes ?? CHECKPOINT_WAL_BYTES;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function candidates(): Promise<Candidate[]> {
    // The one backend's counters reach the shared statistics when a transaction ends, at most once a
    // second: flushed now, the next statement reads them current.
    await db.execute(sql`select pg_stat_force_next_flush()`);
    const indexOf = (methods: string) => sql`exists (
      select 1 from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
       where i.indrelid = s.relid and am.amname in (${sql.raw(methods)}))`;
    const rows = await queryRows(
      db,
      sql`
      select s.relname as table, s.n_dead_tup::float8 as dead, s.n_live_tup::float8 as live,
             s.n_mod_since_analyze::float8 as modified, age(c.relfrozenxid)::float8 as xid_age,
             ${indexOf(`'hnsw', 'ivfflat'`)} as graph, ${indexOf(`'gin'`)} as gin
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
       where s.schemaname = 'public'
       order by s.n_dead_tup desc`,
    );
    return rows.map((r) => ({
      table: String(r.table),
      dead: Number(r.dead),
      live: Number(r.live),
      modified: Number(r.modified),
      xidAge: Number(r.xid_age),
      graph: r.graph === true,
      gin: r.gin === true,
    }));
  }

  function actionFor(c: Candidate): 'vacuum' | 'analyze' | null {
    if (c.dead > VACUUM_BASE + VACUUM_SCALE * c.live || c.xidAge > FREEZE_AGE) return 'vacuum';
    if (ANALYZED_ELSEWHERE.has(c.table)) return null;
    return c.modified > ANALYZE_BASE + ANALYZE_SCALE * c.live ? 'analyze' : null;
  }

  async function timed(statement: ReturnType<typeof sql>): Promise<number> {
    const started = performance.now();
    await db.execute(statement);
    return Math.round(performance.now() - started);
  }

  async function maintainTable(
    c: Candidate,
    action: 'vacuum' | 'analyze',
  ): Promise<MaintenanceRun> {
    const table = sql.identifier(c.table);
    if (action === 'analyze')
      return { action, table: c.table, ms: await timed(sql`analyze public.${table}`) };
    const indexes = !c.graph && (!c.gin || c.live + c.dead <= indexCleanupRows);
    const options = [
      ...(ANALYZED_ELSEWHERE.has(c.table) ? [] : ['analyze']),
      ...(indexes ? [] : ['index_cleanup off']),
    ];
    const list = sql.raw(options.length ? `(${options.join(', ')}) ` : '');
    return { action, table: c.table, indexes, ms: await timed(sql`vacuum ${list}public.${table}`) };
  }

  /** A checkpoint when enough WAL, or any for long enough, was written since the last one. */
  async function checkpointIfDue(): Promise<MaintenanceRun | null> {
    const [since] = await queryRows(
      db,
      sql`select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 as bytes,
                 extract(epoch from now() - checkpoint_time)::float8 as seconds
            from pg_control_checkpoint()`,
    );
    const bytes = Number(since?.bytes ?? 0);
    const due =
      bytes > checkpointWalBytes ||
      (bytes > CHECKPOINT_MIN_BYTES && Number(since?.seconds ?? 0) > CHECKPOINT_SECONDS);
    if (!due || stopped) return null;
    return { action: 'checkpoint', walBytes: bytes, ms: await timed(sql`checkpoint`) };
  }

  async function runOnce(): Promise<MaintenanceRun[]> {
    const runs: MaintenanceRun[] = [];
    if (stopped) return runs; // the database may be closing
    const done = (run: MaintenanceRun | null) => {
      if (!run) return;
      runs.push(run);
      opts.onRun?.(run);
    };
    for (const c of await candidates()) {
      const action = actionFor(c);
      if (action && !stopped) done(await maintainTable(c, action));
    }
    done(await checkpointIfDue());
    return runs;
  }

  // One run at a time: a tick while another runs waits for it, then checks again.
  function tick(): Promise<MaintenanceRun[]> {
    const next = running.then(() => runAsBackground(runOnce));
    running = next.catch(() => undefined);
    return next;
  }

  return {
    tick,
    start(intervalMs) {
      if (timer || stopped) return;
      timer = setInterval(() => {
        tick().catch((e: unknown) => opts.onError?.(e));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
