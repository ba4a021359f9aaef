import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createApp } from '@rag/gateway';
import {
  openPostgres,
  parseEnv,
  schema,
  syncAllPending,
  type Database,
  type Deps,
} from '@rag/core';
import {
  createDatabaseBackend,
  createGatewayBackend,
  createServiceClient,
  createSyncLog,
  runCronJob,
  startSyncService,
} from '@rag/email-sync';

import {
  createMigratedPostgres,
  insertChatRows,
  userChatRows,
  userDirectory,
} from '../../integration/email-sync/email-sync-fixtures';
import { createPostgresEmailSyncStore } from '../../../packages/core/src/adapters/postgres/email-sync-store';
import { createTestDeps } from '../../support/harness';
import { signUpUser } from '../../support/users';

const dir = mkdtempSync(join(tmpdir(), 'email-sync-svc-'));
const logFile = join(dir, 'email_sync.log');
let deps: Deps;
let server: Server;
let port: number;
let gatewayUrl: string;

function listen(): Promise<void> {
  server = createApp(deps).listen(port, '127.0.0.1');
  return new Promise((resolve) => server.once('listening', () => resolve()));
}
async function closeGateway() {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
const logText = () => {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
};
const pairsOf = async () =>
  (await userChatRows(deps.db)).map((r) => `${r.email}|${r.conversationId}`);

beforeAll(async () => {
  deps = await createTestDeps();
  port = 0;
  await listen();
  port = (server.address() as { port: number }).port;
  gatewayUrl = `http://127.0.0.1:${port}`;
  await signUpUser(deps, 'ann@example.com');
  await signUpUser(deps, 'bob@example.com');
});
afterAll(async () => {
  await closeGateway();
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync service against the embedded gateway (@rag/client)', () => {
  it('reacts to new rows at once, survives a gateway restart, and stops cleanly', async () => {
    const service = startSyncService({
      backend: createGatewayBackend({ gatewayUrl }),
      log: createSyncLog({ file: logFile, echo: false }),
      intervalMs: 3_600_000, // no sweep by timer during the test: only notifications can explain a sync
      backoff: { baseMs: 50, maxMs: 400 },
    });
    try {
      await expect
        .poll(logText, { timeout: 60_000 })
        .toContain('Listening for new chat_history rows');
      // Written behind the API's back: no create hook, only the trigger's notification.
      await insertChatRows(deps.db, [
        { conversation_id: 'svc-1', email: 'ANN@example.com' },
        { conversation_id: 'svc-2', input_text: '{"Email":"bob@example.com"}' },
        { conversation_id: 'svc-3', email: 'nobody@example.com' },
      ]);
      await expect
        .poll(pairsOf, { timeout: 60_000 })
        .toEqual(['ann@example.com|svc-1', 'bob@example.com|svc-2']);

      await closeGateway();
      await expect.poll(logText, { timeout: 60_000 }).toContain('Lost the new-row stream');
      await listen();
      const listening = logText().split('Listening for new chat_history rows').length;
      await expect
        .poll(() => logText().split('Listening for new chat_history rows').length, {
          timeout: 60_000,
        })
        .toBeGreaterThan(listening);
      await insertChatRows(deps.db, [{ conversation_id: 'svc-4', email: 'bob@example.com' }]);
      await expect.poll(pairsOf, { timeout: 60_000 }).toContain('bob@example.com|svc-4');
    } finally {
      await service.stop();
    }
    expect(service.stats.synced).toBe(3);
  });

  it('runs alongside the sync endpoints without duplicates, and counts add up exactly', async () => {
    const service = startSyncService({
      backend: createGatewayBackend({ gatewayUrl }),
      log: createSyncLog({ file: logFile, echo: false }),
      intervalMs: 3_600_000,
      backoff: { baseMs: 50, maxMs: 400 },
    });
    const client = createServiceClient({ gatewayUrl });
    try {
      await expect.poll(() => service.stats.runs, { timeout: 60_000 }).toBeGreaterThan(0);
      const before = service.stats.synced;
      const rows = Array.from({ length: 600 }, (_, i) => ({
        conversation_id: `race-${i % 64}`,
        email:
          i % 3 === 0 ? 'Ann@Example.com' : i % 3 === 1 ? 'bob@example.com' : 'ghost@example.com',
      }));
      let endpointSynced = 0;
      for (let i = 0; i < 6; i++) {
        await insertChatRows(deps.db, rows.slice(i * 100, (i + 1) * 100));
        const results = await Promise.all([
          client.chatHistory.syncAllPending.mutate(),
          client.chatHistory.syncEmailToUserChat.mutate(),
        ]);
        endpointSynced += results.reduce((n, r) => n + r.synced_records, 0);
      }
      const settled = await client.chatHistory.syncAllPending.mutate();
      endpointSynced += settled.synced_records;
      // 400 of the 600 rows belong to registered users: each is counted by exactly one caller.
      await expect
        .poll(() => endpointSynced + service.stats.synced - before, { timeout: 60_000 })
        .toBe(400);
      const pairs = (await pairsOf()).filter((p) => p.includes('|race-'));
      expect(new Set(pairs).size).toBe(pairs.length);
      // Ann and Bob each appear in all 64 conversations.
      expect(pairs).toHaveLength(128);
    } finally {
      await service.stop();
    }
  });
});

describe('every path over the same rows', () => {
  it('create hook, each endpoint twice, the service and the cron job leave one user_chat row per pair', async () => {
    const client = createServiceClient({ gatewayUrl });
    const conversations = ['all-1', 'all-2', 'all-3'];
    for (const conversation_id of conversations) {
      await client.chatHistory.create.mutate({
        name_app: 'Bot',
        input_text: '{"Email":"ann@example.com"}',
        output_text: 'ok',
        conversation_id,
      });
    }
    // The same conversations again, behind the API's back, in every e-mail spelling.
    await insertChatRows(deps.db, [
      ...conversations.map((c) => ({ conversation_id: c, email: ' ANN@EXAMPLE.COM ' })),
      ...conversations.map((c) => ({
        conversation_id: c,
        input_text: '{"eMail":"Ann@example.com"}',
      })),
    ]);
    const service = startSyncService({
      backend: createGatewayBackend({ gatewayUrl }),
      log: createSyncLog({ file: logFile, echo: false }),
      intervalMs: 3_600_000,
    });
    try {
      for (let i = 0; i < 2; i++) {
        await client.chatHistory.syncEmailToUserChat.mutate();
        await client.chatHistory.checkAndSyncEmail.mutate();
        await client.chatHistory.syncAllPending.mutate();
        expect(
          await runCronJob({ client, log: createSyncLog({ file: logFile, echo: false }) }),
        ).toBe(0);
      }
      await expect.poll(() => service.stats.runs, { timeout: 60_000 }).toBeGreaterThan(0);
    } finally {
      await service.stop();
    }
    const pairs = (await pairsOf()).filter((p) => p.includes('|all-'));
    expect(pairs).toEqual(conversations.map((c) => `ann@example.com|${c}`));
    expect(logText()).toMatch(/ - INFO - ✅ Sync hoàn thành: 0 synced, \d+ skipped, \d+ checked/);
  });
});

// The shared-Postgres deployment: the service works in the database itself (LISTEN/NOTIFY).
// Registered only when the test setup could start PostgreSQL (it warns loudly when it cannot).
for (const baseUrl of [inject('postgresUrl')].filter(Boolean)) {
  describe('sync service on a shared Postgres database (LISTEN/NOTIFY)', () => {
    let writer: Database;
    let url: string;
    const pgLog = join(dir, 'pg-email_sync.log');
    const pgLogText = () => {
      try {
        return readFileSync(pgLog, 'utf8');
      } catch {
        return '';
      }
    };
    const pgPairs = async () =>
      (await userChatRows(writer.db)).map((r) => `${r.email}|${r.conversationId}`);

    beforeAll(async () => {
      url = await createMigratedPostgres(baseUrl);
      writer = await openPostgres(url, 4);
      await writer.db
        .insert(schema.users)
        .values([{ email: 'ann@example.com' }, { email: 'bob@example.com' }]);
    });
    afterAll(async () => {
      await writer.close();
    });

    it('syncs rows written by anyone at once, races the endpoints without duplicates, re-listens after a drop', async () => {
      const env = parseEnv({
        DATABASE_URL: url,
        DATA_DIR: join(dir, 'pg-data'),
        LOG_LEVEL: 'silent',
      });
      const backend = await createDatabaseBackend({ ...env, DATABASE_URL: url });
      const service = startSyncService({
        backend,
        log: createSyncLog({ file: pgLog, echo: false }),
        intervalMs: 3_600_000,
        backoff: { baseMs: 50, maxMs: 400 },
      });
      try {
        await expect
          .poll(pgLogText, { timeout: 60_000 })
          .toContain('Listening for new chat_history rows');
        await insertChatRows(writer.db, [
          { conversation_id: 'pg-1', email: 'Ann@Example.com' },
          { conversation_id: 'pg-2', input_text: '{"Email":"bob@example.com"}' },
          { conversation_id: 'pg-3', email: 'nobody@example.com' },
        ]);
        await expect
          .poll(pgPairs, { timeout: 60_000 })
          .toEqual(['ann@example.com|pg-1', 'bob@example.com|pg-2']);

        // The endpoint side (another process on the same database) racing the service.
        const ids = new Map(
          (await writer.db.select().from(schema.users)).map((u) => [u.email, u.id]),
        );
        const endpoint = {
          emailSync: createPostgresEmailSyncStore(writer.db),
          auth: userDirectory(Object.fromEntries(ids)),
          clock: { now: () => new Date() },
        };
        const before = service.stats.synced;
        let endpointSynced = 0;
        for (let i = 0; i < 5; i++) {
          await insertChatRows(
            writer.db,
            Array.from({ length: 120 }, (_, j) => ({
              conversation_id: `pg-race-${(i * 120 + j) % 64}`,
              email: j % 2 ? 'bob@example.com' : 'ghost@example.com',
            })),
          );
          endpointSynced += (await syncAllPending(endpoint)).synced_records;
        }
        await expect
          .poll(() => endpointSynced + service.stats.synced - before, { timeout: 60_000 })
          .toBe(300);
        const race = (await pgPairs()).filter((p) => p.includes('|pg-race-'));
        expect(new Set(race).size).toBe(race.length);

        // Kill the LISTEN connection: the service notices, backs off, listens again.
        await writer.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and query ilike 'LISTEN%'`,
        );
        await expect.poll(pgLogText, { timeout: 60_000 }).toContain('Lost the new-row stream');
        await expect
          .poll(() => pgLogText().split('Listening for new chat_history rows').length, {
            timeout: 60_000,
          })
          .toBeGreaterThan(2);
        await insertChatRows(writer.db, [
          { conversation_id: 'pg-after', email: 'ann@example.com' },
        ]);
        await expect.poll(pgPairs, { timeout: 60_000 }).toContain('ann@example.com|pg-after');
      } finally {
        await service.stop();
      }
    });
  });
}
