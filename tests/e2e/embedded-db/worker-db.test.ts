import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listenForInserts, openPgliteWorker, type Database, type Deps } from '@rag/core/testing';

import { insertChatRows } from '../../integration/email-sync/email-sync-fixtures';
import { uploadForm } from '../../support/fixtures';
import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { ask } from '../../support/sse-client';
import { signUpUser, type TestUser } from '../../support/users';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
const pgDir = mkdtempSync(join(tmpdir(), 'rag-worker-db-'));
let database: Database;
let deps: Deps;
let gw: RunningGateway;
let alice: TestUser;

beforeAll(async () => {
  // The server's own embedded database: PGlite in a worker thread, on disk.
  database = await openPgliteWorker({
    dataDir: pgDir,
    stallTimeoutMs: 300_000,
    settings: { shared_buffers: '32MB', work_mem: '4MB', maintenance_work_mem: '64MB' },
  });
  await database.migrate();
  deps = await createTestDeps({}, { database });
  gw = await startGateway(deps);
  alice = await signUpUser(deps);
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
  rmSync(pgDir, { recursive: true, force: true });
});

describe('the worker-hosted embedded database', () => {
  it('serves uploads, listings and answers through the gateway', async () => {
    const text = readFileSync(join(CORPUS, 'md/docling-wiki.md'), 'utf8');
    const res = await fetch(`${gw.url}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
      body: uploadForm('docling-wiki.md', text),
    });
    expect(res.status).toBe(200);
    const uploaded = (await res.json()) as { file_id: string; chunks_count: number };
    expect(uploaded.chunks_count).toBeGreaterThan(0);

    const files = await fetch(`${gw.url}/api/files`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(((await files.json()) as { files: { id: string }[] }).files).toEqual([
      expect.objectContaining({ id: uploaded.file_id }),
    ]);

    const answer = await ask(
      gw.url,
      { question: 'When was IBM founded?', file_id: [uploaded.file_id] },
      { token: alice.token },
    );
    expect(answer.status).toBe(200);
    expect(answer.answer).toMatch(/1911/);
  });

  it('keeps transactions atomic: a failing one leaves nothing behind, a nested one commits', async () => {
    await expect(
      deps.db.transaction(async (tx) => {
        await insertChatRows(tx, [{ conversation_id: 'tx-rolled-back' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await deps.db.transaction(async (tx) => {
      await tx.transaction(async (inner) => {
        await insertChatRows(inner, [{ conversation_id: 'tx-committed' }]);
      });
    });
    const rows = await database.pglite!.query<{ conversation_id: string }>(
      `select conversation_id from chat_history where conversation_id like 'tx-%'`,
    );
    expect(rows.rows.map((r) => r.conversation_id)).toEqual(['tx-committed']);
  });

  it('delivers LISTEN notifications for new chat_history rows (the e-mail sync trigger)', async () => {
    let notified: (range: { to_log_id: number }) => void = () => undefined;
    const received = new Promise<{ to_log_id: number }>((r) => (notified = r));
    const stop = await listenForInserts(database, {
      onInsert: (range) => notified(range),
      onError: (err) => {
        throw err;
      },
    });
    try {
      const [logId] = await insertChatRows(deps.db, [{ conversation_id: 'listen-1' }]);
      expect((await received).to_log_id).toBe(logId);
    } finally {
      await stop();
    }
  });

  it('starts with the configured settings and the fixed ones (WAL segments not zero-filled)', async () => {
    const show = async (name: string): Promise<unknown> =>
      Object.values(
        (await database.pglite!.query<Record<string, unknown>>(`show ${name}`)).rows[0] ?? {},
      )[0];
    expect(await show('work_mem')).toBe('4MB');
    expect(await show('wal_init_zero')).toBe('off');
  });

  it('keeps Postgres errors intact (SQLSTATE code) for the callers that branch on them', async () => {
    const err = await database
      .pglite!.query(`insert into users (id, email) values ($1, $2), ($1, $2)`, [
        '00000000-0000-4000-8000-000000000001',
        'dup@example.com',
      ])
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('23505');
  });
});
