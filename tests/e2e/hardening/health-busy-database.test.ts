import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findAppError, openPgliteWorker, type Database } from '@rag/core/testing';

import { openTestApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

const dir = mkdtempSync(join(tmpdir(), 'rag-health-busy-'));
let database: Database;
// A fresh on-disk worker database (initdb + migrations take a while on a loaded machine).
beforeAll(async () => {
  database = await openPgliteWorker({ dataDir: dir, stallTimeoutMs: 600_000, settings: {} });
  await database.migrate();
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Health = {
  status: string;
  services: Record<string, string>;
  database_activity?: { state: string; in_flight: number };
};

async function health(url: string): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as Health };
}

/** What the watchdog does on a storage fault, a dead worker or a stall: the proxy's `fail`. */
function failWorker(database: Database, cause: Error) {
  const proxy: unknown = database.pglite;
  if (typeof proxy !== 'object' || proxy === null || !('fail' in proxy))
    throw new Error('not the worker proxy');
  const fail = proxy.fail;
  if (typeof fail !== 'function') throw new Error('the worker proxy has no fail()');
  fail.call(proxy, cause);
}

describe('/health on the embedded database (issue 10 item 4)', () => {
  it('answers healthy while a transaction or a long statement holds the single backend, unhealthy once the database fails', async () => {
    await using app = await openTestApp({ overrides: { database } });
    // Whatever happens below, the hung statement must not keep the tear-down waiting.
    app.defer(() => failWorker(database, new Error('test over')));

    // The app's own background work (the job runner's claims) may hold the backend for a moment.
    const quiet = await waitUntil(async () => {
      const h = await health(app.url);
      return h.body.services.database === 'connected' ? h : null;
    }, 'the database to be idle and connected');
    expect(quiet.status).toBe(200);

    // A transaction holds the backend between its statements too (nothing in flight meanwhile).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let opened: () => void = () => undefined;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const tx = database.pglite?.transaction(async (t) => {
      await t.query('select 1');
      opened();
      await gate; // no statement in flight, but the backend is the transaction's
    });
    await open;
    try {
      const busy = await health(app.url);
      expect(busy.status).toBe(200);
      expect(busy.body.services).toMatchObject({
        database: 'busy',
        vector_store: 'busy',
        auth: 'busy',
      });
    } finally {
      release();
      await tx;
    }
    await waitUntil(
      async () => (await health(app.url)).body.services.database === 'connected',
      'the database idle again once the transaction ended',
    );

    // pg_sleep stands in for CREATE INDEX: the worker's only backend is taken until it ends.
    const long = database.pglite?.query('select pg_sleep(3600)').catch((e: unknown) => e);
    await waitUntil(() => database.liveness?.().state === 'busy', 'the statement in flight');
    const busy = await health(app.url);
    expect(busy.status).toBe(200);
    expect(busy.body.status).toBe('healthy');
    // Every probe on that database (pgvector's and local auth's included) answers without queueing.
    expect(busy.body.services).toMatchObject({
      database: 'busy',
      vector_store: 'busy',
      auth: 'busy',
    });
    expect(busy.body.database_activity).toMatchObject({ state: 'busy', in_flight: 1 });

    failWorker(database, new Error('test: the database worker died'));
    expect(findAppError(await long)?.httpStatus).toBe(503);
    const failed = await health(app.url);
    expect(failed.status).toBe(503);
    expect(failed.body.status).toBe('unhealthy');
    expect(failed.body.services.database).toBe('unavailable');
    expect(failed.body.database_activity?.state).toBe('failed');
  });
});
