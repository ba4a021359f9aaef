/**
 * Worker-thread entry that hosts the embedded PGlite. PGlite runs Postgres as synchronous WASM: on the
 * main thread one stuck or long statement freezes every request (issue 10 items 3 and 4). Here it can
 * only freeze this thread; the main thread keeps answering and its watchdog decides
 * (pglite-worker-connection).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

import { fileURLToPath } from 'node:url';

import { seedFromTemplate } from './pg-template';
import { watchStorageFaults } from './pglite-faults';
import { toWireError, type Reply, type Request, type WorkerOptions } from './pglite-protocol';
import { sendBytesAsBinary } from './pglite-binary-params';
import { pgliteStartFlags } from './pglite-settings';

const port = (() => {
  if (!parentPort) throw new Error('pglite-worker.ts runs only as a worker thread');
  return parentPort;
})();
const options = workerData as WorkerOptions;
const post = (m: Reply) => port.postMessage(m);

// Faults are reported as they happen, even when Postgres then loops inside WASM and this thread never
// returns to its event loop (postMessage does not need it).
watchStorageFaults((code, syscall) => post({ type: 'fault', code, syscall }));

// Next to this entry in dist/ (absent when running from the TypeScript sources: initdb as before).
const seeded =
  options.seedFromTemplate === true &&
  seedFromTemplate(options.dataDir, fileURLToPath(new URL('./pg-template', import.meta.url)));

const pg = await PGlite.create({
  dataDir: options.dataDir,
  extensions: { vector },
  startParams: [...PGlite.defaultStartParams, ...pgliteStartFlags(options.settings)],
}).catch((e: unknown) => {
  post({ type: 'failed', error: toWireError(e) });
  throw e;
});
sendBytesAsBinary(pg);

/** Open transactions: the callback of `pg.transaction` waits until the main thread ends it. */
type OpenTx = { tx: Transaction; finish(commit: boolean): void; settled: Promise<void> };
const transactions = new Map<number, OpenTx>();
let nextTx = 1;
const ROLLED_BACK = new Error('rolled back by the caller');
const unlisteners = new Map<string, () => Promise<void>>();

function target(tx: number | undefined): Pick<PGlite, 'query' | 'exec'> {
  if (tx === undefined) return pg;
  const open = transactions.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
}

/** Opens a transaction (PGlite's own, so other queries wait for it) and resolves with its id. */
function begin(): Promise<number> {
  return new Promise((started, failedToStart) => {
    const id = nextTx++;
    let opened = false;
    const settled = pg
      .transaction(
        (tx) =>
          new Promise<void>((commit, rollback) => {
            opened = true;
            transactions.set(id, {
              tx,
              settled,
              finish: (ok) => (ok ? commit() : rollback(ROLLED_BACK)),
            });
            started(id);
          }),
      )
      .finally(() => transactions.delete(id));
    settled.catch((e: unknown) => {
      if (!opened) failedToStart(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

/** Ends a transaction; resolves once PGlite has committed (a failed COMMIT rejects) or rolled back. */
async function end(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  if (!open) throw new Error(`transaction ${id} is not open`);
  open.finish(commit);
  try {
    await open.settled;
  } catch (e) {
    if (e !== ROLLED_BACK) throw e;
  }
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'query': {
      const parsers = Object.fromEntries(req.rawTypes.map((oid) => [oid, (v: string) => v]));
      const r = await target(req.tx).query(req.sql, req.params, { rowMode: req.rowMode, parsers });
      return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
    }
    case 'exec': {
      const results = await target(req.tx).exec(req.sql);
      return results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    }
    case 'begin':
      return begin();
    case 'end':
      return end(req.tx, req.commit);
    case 'listen': {
      if (!unlisteners.has(req.channel)) {
        const un = await pg.listen(req.channel, (payload) =>
          post({ type: 'notify', channel: req.channel, payload }),
        );
        unlisteners.set(req.channel, un);
      }
      return null;
    }
    case 'unlisten': {
      const un = unlisteners.get(req.channel);
      unlisteners.delete(req.channel);
      await un?.();
      return null;
    }
    case 'ping':
      return null;
    case 'close':
      await pg.close();
      return null;
  }
}

/**
 * Each reply carries the request's run time here (`ms`): from its arrival or the previous reply, whichever
 * is later (PGlite runs one at a time), so a main thread slow to read replies does not count.
 */
let lastSettled = 0;
port.on('message', (req: Request) => {
  const t0 = performance.now();
  const ms = () => {
    const now = performance.now();
    const v = now - Math.max(t0, lastSettled);
    lastSettled = now;
    return v;
  };
  handle(req).then(
    (value) => post({ type: 'reply', id: req.id, ok: true, value, ms: ms() }),
    (e: unknown) => post({ type: 'reply', id: req.id, ok: false, error: toWireError(e), ms: ms() }),
  );
});
post({ type: 'ready', seeded });
