import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { pino } from 'pino';
import { inject } from 'vitest';

import {
  createCaller,
  createContext,
  createDeps,
  parseEnv,
  schema,
  sendBytesAsBinary,
  type Database,
  type Db,
  type Deps,
  type DepsOverrides,
} from '@rag/core/testing';
import { createApp } from '@rag/gateway';

/** Opens an in-memory PGlite restored from the migrated template (fast; one per test file). */
export async function openTemplateDatabase(): Promise<Database> {
  const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
  const client = await PGlite.create({ loadDataDir: blob, extensions: { vector } });
  sendBytesAsBinary(client);
  const db: Db = drizzle(client, { schema });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    migrate: async () => undefined,
    ping: async () => {
      if (closed) throw new Error('database is closed');
      await client.query('select 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

export type TestEnv = Record<string, string | undefined>;

/** Real deps on a fresh embedded database and a temporary DATA_DIR. */
export async function createTestDeps(
  env: TestEnv = {},
  overrides: DepsOverrides = {},
): Promise<Deps> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-data-'));
  const parsed = parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const database = overrides.database ?? (await openTemplateDatabase());
  const deps = await createDeps(parsed, { log: pino({ level: 'silent' }), ...overrides, database });
  const close = deps.close.bind(deps);
  deps.close = async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return deps;
}

/** A typed in-process caller, as a given bearer token (or anonymous), from loopback by default. */
export async function callerFor(deps: Deps, token?: string | null, clientIp = '127.0.0.1') {
  const ctx = await createContext({
    deps,
    authorization: token ? `Bearer ${token}` : null,
    clientIp,
  });
  return createCaller(ctx);
}

/**
 * Node closes an idle keep-alive connection after 5 s; a client that sends its next request on it at
 * that moment (a slow step on a loaded machine) gets a reset instead of an answer. Tests keep idle
 * connections for two minutes, longer than any test runs, so that race cannot happen.
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 120_000;
}

export type RunningGateway = { url: string; deps: Deps; close(): Promise<void> };

/** The real Express app on port 0. */
export async function startGateway(deps: Deps): Promise<RunningGateway & { server: Server }> {
  const app = createApp(deps);
  const server = app.listen(0, '127.0.0.1');
  keepIdleConnections(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
