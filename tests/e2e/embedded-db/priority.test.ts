import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  openPgliteWorker,
  runAsBackground,
  runAsInteractive,
  type Lane,
  type RequestKind,
} from '@rag/core/testing';

const dir = mkdtempSync(join(tmpdir(), 'rag-priority-'));
const sent: [Lane, RequestKind][] = [];
let database: Awaited<ReturnType<typeof openPgliteWorker>>;

beforeAll(async () => {
  database = await openPgliteWorker({
    dataDir: dir,
    stallTimeoutMs: 60_000,
    settings: {},
    schedulerEvents: { onSend: (lane, kind) => sent.push([lane, kind]) },
  });
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('requests before background work on the embedded database', () => {
  it('answers an interactive query before background batches queued earlier', async () => {
    const pg = database.pglite!;
    const answered: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    // A background transaction holds the backend while the other requests arrive.
    const holder = runAsBackground(() =>
      pg.transaction(async (tx) => {
        opened();
        await gate;
        await tx.query('select 1');
      }),
    ).then(() => answered.push('holder'));
    await isOpen;
    const batches = [1, 2, 3].map((i) =>
      runAsBackground(() => pg.query(`select ${i} as n`)).then(() => answered.push(`batch-${i}`)),
    );
    const ask = pg.query('select 42 as n').then(() => answered.push('ask'));
    release();
    await Promise.all([holder, ask, ...batches]);
    // FIFO (the order they were sent) would answer batch-1..3 first.
    expect(answered).toEqual(['holder', 'ask', 'batch-1', 'batch-2', 'batch-3']);
  });

  it('marks what background work starts as background, unless it opts out', async () => {
    const pg = database.pglite!;
    sent.length = 0;
    await runAsBackground(async () => {
      await pg.query('select 1');
      await runAsInteractive(() => pg.query('select 2'));
    });
    expect(sent).toEqual([
      ['background', 'plain'],
      ['interactive', 'plain'],
    ]);
  });
});
