import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';

import { createEmbeddedMaintenance, ingestFiles, type Deps } from '@rag/core/testing';

import { testApp } from '../../support/test-app';

/** `n` small Markdown files over one vocabulary of 4,000 words: each upload adds to `term_stats`. */
function documents(userId: string, n: number, round: number) {
  return Array.from({ length: n }, (_, i) => ({
    userId,
    filename: `doc-${i}.md`,
    source: Buffer.from(
      `# Document ${i}\n\n` +
        Array.from({ length: 120 }, (_, k) => `word${(i * 97 + k * 13) % 4000}`).join(' ') +
        `\n\nround ${round}\n`,
    ),
  }));
}

async function bytesOf(deps: Deps, tables: string[]): Promise<number> {
  const res = (await deps.db.execute(
    sql`select sum(pg_total_relation_size(t::regclass))::float8 as n from unnest(${sql.param(tables)}::text[]) t`,
  )) as { rows: { n: number }[] };
  return Number(res.rows[0]?.n ?? 0);
}

async function deadRows(deps: Deps, table: string): Promise<number> {
  await deps.db.execute(sql`select pg_stat_force_next_flush()`);
  const res = (await deps.db.execute(
    sql`select n_dead_tup::int as n from pg_stat_user_tables where relname = ${table}`,
  )) as { rows: { n: number }[] };
  return res.rows[0]?.n ?? 0;
}

/** Tables whose rows a deleted library leaves dead (job rows stay: they are kept for JOB_RETENTION_DAYS). */
const REUSED = ['term_stats', 'chunks', 'files'];

describe('maintenance of the embedded database (PGlite has no autovacuum)', () => {
  it('reclaims what uploads and deletions leave behind, so the next load reuses the space', async () => {
    // The timer is off: the test runs the checks itself.
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const maintenance = createEmbeddedMaintenance(d.deps.db);

    /** Uploads the documents and deletes them all, as a user replacing a library does. */
    async function churn(round: number) {
      const results = await ingestFiles(d.deps, documents(user.userId, 150, round));
      expect(results.every((r) => !(r instanceof Error))).toBe(true);
      await api.files.resetCollection();
      expect(await d.deps.vectorIndex.count(user.userId)).toBe(0);
    }

    await churn(0);
    expect(await deadRows(d.deps, 'term_stats')).toBeGreaterThan(1000);
    const runs = await maintenance.tick();
    expect(runs.flatMap((r) => (r.action === 'vacuum' ? [r.table] : []))).toEqual(
      expect.arrayContaining(['term_stats', 'chunks']),
    );
    expect(await deadRows(d.deps, 'term_stats')).toBe(0);
    expect(await deadRows(d.deps, 'chunks')).toBe(0);
    // Nothing changed since: nothing to do.
    expect(await maintenance.tick()).toEqual([]);

    // A round needs room for its own row versions (each batch upserts the same terms again); from
    // the second round on, a vacuumed database reuses that room. Without the vacuum these tables grew
    // by 65 % from the second round to the third (term_stats +38 %, chunks +80 %).
    await churn(1);
    await maintenance.tick();
    const second = await bytesOf(d.deps, REUSED);
    await churn(2);
    await maintenance.tick();
    expect(await bytesOf(d.deps, REUSED)).toBeLessThanOrEqual(second * 1.15);
  });

  it('analyzes a table that grew, as autovacuum would', async () => {
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    const maintenance = createEmbeddedMaintenance(d.deps.db);
    await ingestFiles(d.deps, documents(user.userId, 120, 0));
    const runs = await maintenance.tick();
    // Files were only inserted (and marked indexed): analyzed, with or without dead rows to clear.
    expect(runs.flatMap((r) => (r.action === 'checkpoint' ? [] : [r.table]))).toContain('files');
    const res = (await d.deps.db.execute(
      sql`select reltuples::int as n from pg_class where relname = 'files'`,
    )) as { rows: { n: number }[] };
    expect(res.rows[0]?.n).toBe(120);
  });

  it('stops between tables and waits for the one in progress', async () => {
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    await ingestFiles(d.deps, documents(user.userId, 60, 0));
    const maintenance = createEmbeddedMaintenance(d.deps.db);
    const ticking = maintenance.tick();
    await maintenance.stop();
    // The run in progress ended before stop returned; nothing starts after it.
    await expect(Promise.race([ticking, Promise.resolve('pending')])).resolves.not.toBe('pending');
    expect(await maintenance.tick()).toEqual([]);
  });

  it('cleans no index of a graph index, nor of a large table with a GIN index (each would hold every request)', async () => {
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    await d.deps.db.execute(sql`create table graph_probe (id int primary key, v vector(3))`);
    await d.deps.db.execute(
      sql`create index graph_probe_hnsw on graph_probe using hnsw (v vector_cosine_ops)`,
    );
    await d.deps.db.execute(
      sql`insert into graph_probe select g, ('[' || g || ',1,2]')::vector from generate_series(1, 300) g`,
    );
    await d.deps.db.execute(sql`delete from graph_probe where id % 2 = 0`);
    await ingestFiles(d.deps, documents(user.userId, 60, 0));
    await api.files.resetCollection();
    // `chunks` (its terms' GIN index) counts as large here: its rows' space is reclaimed, its indexes
    // are left.
    const runs = await createEmbeddedMaintenance(d.deps.db, { indexCleanupRows: 100 }).tick();
    const run = (table: string) => runs.find((r) => r.action === 'vacuum' && r.table === table);
    expect(run('graph_probe')).toMatchObject({ action: 'vacuum', indexes: false });
    expect(run('chunks')).toMatchObject({ action: 'vacuum', indexes: false });
    // B-trees only: cleaned at any size.
    expect(run('term_stats')).toMatchObject({ action: 'vacuum', indexes: true });
    expect(await deadRows(d.deps, 'chunks')).toBe(0);
    // Under the size limit a GIN index is cleaned too; a graph index never is.
    await d.deps.db.execute(sql`delete from graph_probe where id % 3 = 0`);
    await d.deps.db.execute(sql`create table gin_probe (id int primary key, t tsvector)`);
    await d.deps.db.execute(sql`create index gin_probe_t on gin_probe using gin (t)`);
    await d.deps.db.execute(
      sql`insert into gin_probe select g, to_tsvector('simple', 'w' || g) from generate_series(1, 90) g`,
    );
    await d.deps.db.execute(sql`delete from gin_probe where id > 10`);
    const again = await createEmbeddedMaintenance(d.deps.db, { indexCleanupRows: 100 }).tick();
    const rerun = (table: string) => again.find((r) => r.action === 'vacuum' && r.table === table);
    expect(rerun('gin_probe')).toMatchObject({ indexes: true });
    expect(rerun('graph_probe')).toMatchObject({ indexes: false });
  });

  it('checkpoints once enough WAL was written since the last checkpoint, and not again', async () => {
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    const redo = async () => {
      const res = (await d.deps.db.execute(
        sql`select redo_lsn::text as lsn from pg_control_checkpoint()`,
      )) as { rows: { lsn: string }[] };
      return res.rows[0]?.lsn;
    };
    const maintenance = createEmbeddedMaintenance(d.deps.db, { checkpointWalBytes: 64 * 1024 });
    await ingestFiles(d.deps, documents(user.userId, 40, 0));
    const before = await redo();
    const runs = await maintenance.tick();
    expect(runs.at(-1)).toMatchObject({ action: 'checkpoint' });
    expect(await redo()).not.toBe(before);
    // Nothing written since: no table to maintain and no checkpoint due.
    expect(await maintenance.tick()).toEqual([]);
  });

  it('checks on its timer until stopped', async () => {
    const d = await testApp({ gateway: false, env: { PGLITE_MAINTENANCE_INTERVAL_S: '0' } });
    const user = await d.signUp();
    await ingestFiles(d.deps, documents(user.userId, 30, 0));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let ran!: () => void;
      const first = new Promise<void>((resolve) => (ran = resolve));
      const maintenance = createEmbeddedMaintenance(d.deps.db, { onRun: () => ran() });
      maintenance.start(60_000);
      vi.advanceTimersByTime(60_000);
      await first;
      await maintenance.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
