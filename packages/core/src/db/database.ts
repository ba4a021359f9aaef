import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

import { MIGRATION_DOMAINS, type MigrationDomain } from './domains';
import { currentDomains } from './migrations-state';
import type { DatabaseLiveness, ProxyOptions } from './pglite-connection-types';
import type { ProbeResult } from './pglite-probe';
import { PgliteWorkerProxy, type PgliteClient } from './pglite-proxy';
import { drizzleOverProxy } from './pglite-proxy-drizzle';
import * as schema from './schema';
import { sendBytesAsBinary } from './pglite-binary-params';
import { pgliteStartFlags } from './pglite-settings';

export type Schema = typeof schema;
/** The drizzle database, the same type over PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs every migration domain in order (skipping the ones in `skip`). */
  migrate(opts?: { skip?: MigrationDomain[] }): Promise<void>;
  /** Cheap liveness probe for /health. */
  ping(): Promise<void>;
  /** The `pg` pool when on Postgres (LISTEN/NOTIFY needs a dedicated client). */
  pool?: pg.Pool;
  /** The embedded PGlite (in this thread, or its worker-thread proxy) when embedded. */
  pglite?: PgliteClient;
  /**
   * Embedded database in a worker: called once if it fails for good (storage fault, dead or hung
   * worker). Queries already fail with 503 by then; the process should exit so a supervisor restarts it.
   */
  onFatal?(listener: (err: Error) => void): void;
  /** Embedded database in a worker: runs a /health check without queueing behind work in flight. */
  probe?(check: () => Promise<unknown>): Promise<ProbeResult>;
  /** Embedded database in a worker: the watchdog's view (busy, in flight, last answer). */
  liveness?(): DatabaseLiveness;
  close(): Promise<void>;
};

/** The `drizzle` folder nearest above this module: packages/core from source, dist/ when bundled. */
function findMigrationsRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'drizzle', MIGRATION_DOMAINS[0]))) return join(dir, 'drizzle');
    if (dirname(dir) === dir) throw new Error(`migrations folder not found above ${from}`);
  }
}
const MIGRATIONS_ROOT = findMigrationsRoot(fileURLToPath(import.meta.url));

function migrationConfig(domain: MigrationDomain) {
  return {
    migrationsFolder: join(MIGRATIONS_ROOT, domain),
    migrationsTable: `__drizzle_migrations_${domain.replace(/-/g, '_')}`,
  };
}

/** A failed migration, said with what is missing and how to fix it (the raw SQL error alone is not). */
export class MigrationError extends Error {
  constructor(domain: MigrationDomain, cause: unknown) {
    const detail =
      cause instanceof Error
        ? cause.cause instanceof Error
          ? cause.cause.message
          : cause.message
        : String(cause);
    const vector = /extension "?vector"?|CREATE EXTENSION IF NOT EXISTS vector/i.test(
      `${detail} ${cause instanceof Error ? cause.message : ''}`,
    );
    super(
      vector
        ? `Database migration "${domain}" failed: the Postgres server has no pgvector extension (${detail}). ` +
            'Install pgvector on that server (https://github.com/pgvector/pgvector#installation) or set QDRANT_URL to keep vectors in Qdrant.'
        : `Database migration "${domain}" failed: ${detail}. Check that DATABASE_URL points at a Postgres the service may change (CREATE on the database), or restore DATA_DIR from a backup.`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/**
 * Whether `db` is embedded PGlite (in this thread or the worker: one backend, one statement at a time
 * for every request) rather than a Postgres server through node-postgres.
 */
export function isEmbeddedDb(db: Db): boolean {
  const client: unknown = (db as { $client?: unknown }).$client;
  return !(client instanceof pg.Pool || client instanceof pg.Client);
}

async function runMigrations(
  db: Db,
  skip: MigrationDomain[] | undefined,
  run: (domain: MigrationDomain) => Promise<void>,
) {
  const wanted = MIGRATION_DOMAINS.filter((d) => !skip?.includes(d));
  // Nothing new in any journal (the usual restart): skip drizzle's per-domain work.
  const current = await currentDomains(
    db,
    wanted.map((domain) => {
      const c = migrationConfig(domain);
      return { domain, folder: c.migrationsFolder, table: c.migrationsTable };
    }),
  ).catch(() => new Set<MigrationDomain>());
  for (const domain of wanted) {
    if (current.has(domain)) continue;
    try {
      await run(domain);
    } catch (err) {
      throw new MigrationError(domain, err);
    }
  }
}

/** Opens the embedded database (PGlite + pgvector) in this thread, under `dataDir` or in memory. */
export async function openPglite(dataDir?: string): Promise<Database & { pglite: PGlite }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...pgliteStartFlags()],
  });
  sendBytesAsBinary(client);
  const db: Db = drizzlePglite(client, { schema });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    async migrate(opts) {
      await runMigrations(db, opts?.skip, (domain) =>
        migratePglite(drizzlePglite(client), migrationConfig(domain)),
      );
    },
    async ping() {
      if (closed) throw new Error('database is closed');
      await client.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * Opens the embedded database in a worker thread (what the server uses): a statement that hangs or a
 * failing disk cannot freeze the main thread, and the proxy's watchdog reports it (`onFatal`).
 */
export async function openPgliteWorker(
  options: ProxyOptions | PgliteWorkerProxy,
): Promise<Database> {
  const client = options instanceof PgliteWorkerProxy ? options : new PgliteWorkerProxy(options);
  try {
    await client.ready;
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  const pgliteDb = drizzleOverProxy(client);
  const db: Db = pgliteDb;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    async migrate(opts) {
      await runMigrations(db, opts?.skip, (domain) =>
        migratePglite(pgliteDb, migrationConfig(domain)),
      );
    },
    ping: () => client.ping(),
    onFatal: (listener) => client.onFatal(listener),
    probe: (check) => client.probe(check),
    liveness: () => client.liveness(),
    close: () => client.close(),
  };
}

/** Opens a real Postgres (Supabase included) through node-postgres. */
export function openPostgres(url: string, poolMax = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db: Db = drizzlePg(pool, { schema });
  let closed = false;
  // Nothing to wait for: the pool connects on its first query. A promise keeps the three openers alike.
  return Promise.resolve({
    db,
    kind: 'postgres',
    pool,
    async migrate(opts) {
      await runMigrations(db, opts?.skip, (domain) =>
        migratePg(drizzlePg(pool), migrationConfig(domain)),
      );
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
}
