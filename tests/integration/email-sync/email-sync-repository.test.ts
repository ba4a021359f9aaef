import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  listenForInserts,
  schema,
  syncPending,
  type Database,
  type InsertedRange,
} from '@rag/core';

import { createPostgresEmailSyncStore } from '../../../packages/core/src/adapters/postgres/email-sync-store';
import { testDatabases } from '../../support/databases';
import {
  countQueries,
  insertChatRows,
  truncateEmailSync,
  userChatRows,
  userDirectory,
} from './email-sync-fixtures';

const clock = { now: () => new Date() };

describe.each(testDatabases())('e-mail sync repository on $name', ({ open }) => {
  let database: Database;

  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await truncateEmailSync(database.db);
  });

  const normalisedEmails = async () =>
    (
      await database.db
        .select({ id: schema.chatHistory.logId, e: schema.chatHistory.emailNormalized })
        .from(schema.chatHistory)
        .orderBy(schema.chatHistory.logId)
    ).map((r) => r.e);

  it('takes the e-mail from the column, else from the "Email" key of a JSON input_text', async () => {
    await insertChatRows(database.db, [
      { conversation_id: 'c1', email: '  Ann@Example.COM\t' },
      { conversation_id: 'c2', input_text: '{"Email":" Bob@Example.com "}' },
      { conversation_id: 'c3', email: '   ', input_text: ' {"eMaIl": "carl@example.com", "x": 1}' },
      { conversation_id: 'c4', input_text: '{"Email": 42}' },
      { conversation_id: 'c5', input_text: '{"Email": "x@y.z"' },
      { conversation_id: 'c6', input_text: 'Email: dan@example.com' },
      {
        conversation_id: 'c7',
        input_text: '{"email":"low@example.com","Email":"exact@example.com"}',
      },
      {
        conversation_id: 'c8',
        email: 'col@example.com',
        input_text: '{"Email":"json@example.com"}',
      },
    ]);
    expect(await normalisedEmails()).toEqual([
      'ann@example.com',
      'bob@example.com',
      'carl@example.com',
      null,
      null,
      null,
      'exact@example.com',
      'col@example.com',
    ]);
  });

  it('links matching rows, one user_chat per (e-mail, conversation), counts the rest as skipped', async () => {
    const users = userDirectory({ 'ann@example.com': 'u-ann', 'bob@example.com': 'u-bob' });
    await insertChatRows(database.db, [
      { conversation_id: 'c1', email: 'ANN@example.com', app_id: 'app-1', name_app: 'Bot A' },
      { conversation_id: 'c1', input_text: '{"Email":"ann@EXAMPLE.com"}', name_app: 'Bot A' },
      { conversation_id: 'c2', email: 'ann@example.com', name_app: 'Bot B' },
      { conversation_id: 'c3', input_text: '{"email":"bob@example.com"}' },
      { conversation_id: 'c4', email: 'nobody@example.com' },
      { conversation_id: 'c5', input_text: 'no e-mail at all' },
    ]);
    const deps = { emailSync: createPostgresEmailSyncStore(database.db), auth: users, clock };

    const first = await syncPending(deps);
    expect(first).toEqual({ synced: 4, skipped: 2, total: 6, userChatsCreated: 3 });
    const links = await userChatRows(database.db);
    expect(links.map((r) => [r.email, r.conversationId, r.userId, r.appId, r.nameApp])).toEqual([
      ['ann@example.com', 'c1', 'u-ann', 'app-1', 'Bot A'],
      ['ann@example.com', 'c2', 'u-ann', null, 'Bot B'],
      ['bob@example.com', 'c3', 'u-bob', null, 'Bot'],
    ]);

    const second = await syncPending(deps);
    expect(second).toEqual({ synced: 0, skipped: 2, total: 2, userChatsCreated: 0 });
    expect(await userChatRows(database.db)).toHaveLength(3);

    // The unknown e-mail links once its user signs up.
    users.add('nobody@example.com', 'u-late');
    expect(await syncPending(deps)).toEqual({
      synced: 1,
      skipped: 1,
      total: 2,
      userChatsCreated: 1,
    });
    expect(await userChatRows(database.db)).toHaveLength(4);
  });

  it('limits to a time window (UTC instants) and to a log-id range', async () => {
    const users = userDirectory({ 'ann@example.com': 'u-ann' });
    const now = new Date();
    const [old, recent, other] = await insertChatRows(database.db, [
      {
        conversation_id: 'old',
        email: 'ann@example.com',
        created_at: new Date(now.getTime() - 25 * 3600_000),
      },
      {
        conversation_id: 'recent',
        email: 'ann@example.com',
        created_at: new Date(now.getTime() - 23 * 3600_000),
      },
      { conversation_id: 'other', email: 'ann@example.com' },
    ]);
    const deps = { emailSync: createPostgresEmailSyncStore(database.db), auth: users, clock };
    const since = new Date(now.getTime() - 24 * 3600_000);
    expect(await syncPending(deps, { fromLogId: other, toLogId: other })).toMatchObject({
      synced: 1,
      total: 1,
    });
    expect(await syncPending(deps, { since })).toMatchObject({ synced: 1, skipped: 0, total: 1 });
    const pending = await database.db
      .select({ id: schema.chatHistory.logId })
      .from(schema.chatHistory)
      .where(sql`${schema.chatHistory.userId} is null`);
    expect(pending.map((r) => r.id)).toEqual([old]);
    expect(recent).toBeGreaterThan(old!);
  });

  it('works in batches: one user lookup and a constant number of statements per batch', async () => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < 50; i++) entries[`user${i}@example.com`] = `u${i}`;
    const users = userDirectory(entries);
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      conversation_id: `conv-${i % 300}`,
      email: `user${i % 100}@example.com`,
    }));
    await insertChatRows(database.db, rows);
    const queries = countQueries(database);
    queries.reset();
    const counts = await syncPending(
      { emailSync: createPostgresEmailSyncStore(database.db), auth: users, clock },
      {},
      30,
    );
    // 100 distinct e-mails in batches of 30 → 4 batches; half of the e-mails are registered.
    expect(users.calls.map((c) => c.length)).toEqual([30, 30, 30, 10]);
    expect(counts).toMatchObject({ synced: 500, skipped: 500, total: 1000 });
    // 1 count + per batch (grouped read + one write) — independent of the 1,000 rows.
    expect(queries.count).toBeLessThanOrEqual(1 + 4 * 2);
    const links = await userChatRows(database.db);
    expect(new Set(links.map((l) => `${l.email}|${l.conversationId}`)).size).toBe(links.length);
  });

  it('concurrent syncs link each row once and never duplicate user_chat', async () => {
    const users = userDirectory({ 'ann@example.com': 'u-ann', 'bob@example.com': 'u-bob' });
    const rows = Array.from({ length: 400 }, (_, i) => ({
      conversation_id: `c${i % 40}`,
      email: i % 3 === 0 ? 'ANN@example.com' : i % 3 === 1 ? 'bob@example.com' : 'zed@example.com',
    }));
    await insertChatRows(database.db, rows);
    const deps = { emailSync: createPostgresEmailSyncStore(database.db), auth: users, clock };
    const results = await Promise.all(Array.from({ length: 6 }, () => syncPending(deps, {}, 1)));
    const synced = results.reduce((n, r) => n + r.synced, 0);
    expect(synced).toBe(267);
    for (const r of results) expect(r.total).toBe(r.synced + r.skipped);
    const links = await userChatRows(database.db);
    // Ann and Bob each talk in all 40 conversations: 80 pairs, each exactly once.
    expect(links).toHaveLength(80);
    expect(new Set(links.map((l) => `${l.email}|${l.conversationId}`)).size).toBe(80);
  });

  it('announces each INSERT statement with the range of new log ids', async () => {
    const seen: InsertedRange[] = [];
    const stop = await listenForInserts(database, {
      onInsert: (r) => seen.push(r),
      onError: () => undefined,
    });
    try {
      const ids = await insertChatRows(database.db, [
        { conversation_id: 'a' },
        { conversation_id: 'b' },
      ]);
      const [later] = await insertChatRows(database.db, [{ conversation_id: 'c' }]);
      await expect.poll(() => seen.length).toBe(2);
      expect(seen).toEqual([
        { from_log_id: ids[0], to_log_id: ids[1] },
        { from_log_id: later, to_log_id: later },
      ]);
    } finally {
      await stop();
    }
  });

  it('refuses a blank conversation id at the database too', async () => {
    await expect(insertChatRows(database.db, [{ conversation_id: '   ' }])).rejects.toThrow();
  });
});
