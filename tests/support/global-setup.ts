import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import type { TestProject } from 'vitest/node';

import { openPglite } from '@rag/core/testing';

import { findPgBin, startPostgres, type PostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a throwaway PostgreSQL 15+ cluster, or '' when no binaries exist here. */
    postgresUrl: string;
    /** pgvector's version when the `vector` extension can be created on that cluster, else ''. */
    postgresPgvector: string;
    /** A gzip dump of a fully migrated PGlite, so each test file opens a database in ~1 s. */
    pgliteTemplate: string;
  }
}

let server: PostgresServer | undefined;

export async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'rag-tests-'));
  const template = await openPglite();
  await template.migrate();
  const dump = await template.pglite.dumpDataDir('gzip');
  const templatePath = join(dir, 'pglite-template.tar.gz');
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await template.close();
  project.provide('pgliteTemplate', templatePath);

  const pgBin = findPgBin();
  if (!pgBin) {
    console.warn(
      '\n⚠ No PostgreSQL binaries found (/usr/lib/postgresql/*/bin): the real-Postgres repository ' +
        'tests will NOT run in this session. Install postgresql (apt-get install postgresql) to run them.\n',
    );
    project.provide('postgresUrl', '');
    project.provide('postgresPgvector', '');
    return;
  }
  server = await startPostgres(pgBin);
  project.provide('postgresUrl', server.url);
  const pgvector = await availablePgvector(server.url);
  if (!pgvector) {
    console.warn(
      `\n⚠ No pgvector extension on the test PostgreSQL (${pgBin}): the pgvector index tests will run on ` +
        'PGlite only and Postgres runs without the pgvector-index migrations. Build pgvector for this ' +
        'server to run them (README, "Tests").\n',
    );
  }
  project.provide('postgresPgvector', pgvector);
}

/** pgvector's installable version on the cluster at `url`, or '' (Debian bookworm packages none for 15). */
async function availablePgvector(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(
      `select default_version as version from pg_available_extensions where name = 'vector'`,
    );
    return rows[0]?.version ?? '';
  } finally {
    await client.end();
  }
}

export async function teardown() {
  await server?.stop();
}
