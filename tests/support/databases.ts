import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { inject } from 'vitest';

import { openPostgres, type Database } from '@rag/core';

import { openTemplateDatabase } from './harness';

export type TestDatabase = {
  /** 'pglite' or 'postgres' (a real PostgreSQL cluster started by the global setup). */
  name: 'pglite' | 'postgres';
  /**
   * Opens a fresh, fully migrated database (without the pgvector domain on plain Postgres). A plain
   * function (no `this`), so suites may destructure it.
   */
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

/**
 * The databases repository tests must pass on: embedded PGlite always, and a real PostgreSQL when the
 * machine has its binaries (the global setup says so loudly when it does not).
 */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'pglite', open: openTemplateDatabase }];
  const url = inject('postgresUrl');
  if (url) {
    list.push({
      name: 'postgres',
      open: async () => {
        const database = await openPostgres(await createScratchDatabase(url), 4);
        await database.migrate({ skip: ['pgvector-index'] });
        return database;
      },
    });
  }
  return list;
}
