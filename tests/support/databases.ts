import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { inject } from 'vitest';

import { openPostgres, type Database } from '@rag/core';

import { openTemplateDatabase } from './harness';

export type TestDatabase = {
  /**
   * 'pglite', or a real PostgreSQL cluster started by the global setup: 'postgres+pgvector' when the
   * `vector` extension is installed there (every migration runs), 'postgres' when not (the pgvector
   * domain is skipped, as on a server that keeps its vectors in Qdrant).
   */
  name: 'pglite' | 'postgres' | 'postgres+pgvector';
  /** Whether the pgvector-index domain (the `chunks` table and its indexes) is migrated. */
  pgvector: boolean;
  /** Opens a fresh, migrated database. A plain function (no `this`), so suites may destructure it. */
  open: () => Promise<Database>;
};

/** Creates a new database on the test cluster and returns its URL. */
export async function createScratchDatabase(baseUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The test cluster's Postgres entry, or null when the machine has no Postgres binaries. */
function postgresEntry(): TestDatabase | null {
  const url = inject('postgresUrl');
  if (!url) return null;
  const pgvector = inject('postgresPgvector') !== '';
  return {
    name: pgvector ? 'postgres+pgvector' : 'postgres',
    pgvector,
    open: async () => {
      const database = await openPostgres(await createScratchDatabase(url), 4);
      await database.migrate(pgvector ? {} : { skip: ['pgvector-index'] });
      return database;
    },
  };
}

/**
 * The databases repository tests must pass on: embedded PGlite always, and a real PostgreSQL when the
 * machine has its binaries (the global setup says so loudly when it does not).
 */
export function testDatabases(): TestDatabase[] {
  const postgres = postgresEntry();
  return [
    { name: 'pglite', pgvector: true, open: openTemplateDatabase },
    ...(postgres ? [postgres] : []),
  ];
}

/**
 * The databases the pgvector index must pass on: PGlite always, Postgres when pgvector is installed on
 * the test cluster (the global setup warns when it is not).
 */
export function pgvectorDatabases(): TestDatabase[] {
  return testDatabases().filter((d) => d.pgvector);
}
