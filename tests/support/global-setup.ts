import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { openPglite } from '@rag/core/testing';

import { findPgBin, startPostgres, type PostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a throwaway PostgreSQL 15+ cluster, or '' when no binaries exist here. */
    postgresUrl: string;
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
    return;
  }
  server = await startPostgres(pgBin);
  project.provide('postgresUrl', server.url);
}

export async function teardown() {
  await server?.stop();
}
