import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findAppError, schema, type Deps } from '@rag/core/testing';

import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser } from '../../support/users';
import { insertChatRows, userChatRows } from './email-sync-fixtures';

const USER_CHAT_KEYS = [
  'app_id',
  'conversation_id',
  'created_at',
  'email',
  'id',
  'name_app',
  'user_id',
];

let deps: Deps;
let ann: { userId: string; email: string; token: string };
let bob: { userId: string; email: string };

beforeAll(async () => {
  deps = await createTestDeps();
  ann = await signUpUser(deps, 'ann@example.com');
  bob = await signUpUser(deps, 'Bob.Smith@Example.com');
});
afterAll(async () => {
  await deps.close();
});

const chat = (conversation_id: string, extra: Record<string, unknown> = {}) => ({
  name_app: 'Trợ lý',
  input_text: 'Xin chào',
  output_text: 'Chào bạn!',
  conversation_id,
  ...extra,
});

describe('chatHistory.create', () => {
  it('stores the row and links it at once (e-mail column, odd casing and spaces)', async () => {
    const api = await callerFor(deps);
    const row = await api.chatHistory.create(
      chat('conv-a', { email: '  ANN@example.COM ', app_id: 'app-1' }),
    );
    expect(row).toMatchObject({
      conversation_id: 'conv-a',
      email: 'ANN@example.COM',
      app_id: 'app-1',
      user_id: ann.userId,
      name_app: 'Trợ lý',
    });
    expect(new Date(row.created_at).toISOString()).toBe(row.created_at);
    const links = await api.userChat.byEmail({ email: 'ann@example.com' });
    expect(links).toEqual([
      expect.objectContaining({
        conversation_id: 'conv-a',
        user_id: ann.userId,
        app_id: 'app-1',
        name_app: 'Trợ lý',
      }),
    ]);
  });

  it('reads the "Email" key of a JSON input_text (key and value in any case)', async () => {
    const api = await callerFor(deps);
    const row = await api.chatHistory.create(
      chat('conv-b', { input_text: '{"EMAIL":" bob.smith@EXAMPLE.com "}' }),
    );
    expect(row.user_id).toBe(bob.userId);
    expect(row.email).toBeNull();
    const again = await api.chatHistory.create(
      chat('conv-b', { input_text: '{"Email":"Bob.Smith@example.com"}' }),
    );
    expect(again.user_id).toBe(bob.userId);
    expect(await api.userChat.byUser({ user_id: bob.userId })).toHaveLength(1);
  });

  it('keeps unknown e-mails pending (user_id null, no user_chat row)', async () => {
    const api = await callerFor(deps);
    const row = await api.chatHistory.create(chat('conv-x', { email: 'stranger@example.com' }));
    expect(row.user_id).toBeNull();
    expect(await api.userChat.byEmail({ email: 'stranger@example.com' })).toEqual([]);
  });

  it('rejects blank or malformed input with a clear validation error', async () => {
    const api = await callerFor(deps);
    const bad = [
      chat('   '),
      chat('c', { name_app: '' }),
      chat('c', { email: 'not-an-email' }),
      { name_app: 'x', conversation_id: 'c' },
    ];
    for (const input of bad) {
      const err = await api.chatHistory.create(input as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
    }
  });
});

describe('sync endpoints', () => {
  it('link each pending row once, count unknown and e-mail-less rows as skipped, and are idempotent', async () => {
    // Rows written behind the API's back (no create hook), as the chatbot integration might.
    const now = Date.now();
    await insertChatRows(deps.db, [
      { conversation_id: 'bulk-1', email: 'ann@example.com' },
      { conversation_id: 'bulk-1', input_text: '{"email":"ANN@example.com"}' },
      { conversation_id: 'bulk-2', email: 'bob.smith@example.com' },
      { conversation_id: 'bulk-3', email: 'ghost@example.com' },
      { conversation_id: 'bulk-4', input_text: 'just text' },
      {
        conversation_id: 'old-1',
        email: 'ann@example.com',
        created_at: new Date(now - 30 * 3600_000),
      },
    ]);
    const api = await callerFor(deps);
    // Pending before: the 6 rows above + "stranger" from the create tests.
    expect(await api.chatHistory.checkAndSyncEmail()).toEqual({
      message: 'Checked and synced recent chat history',
      synced_records: 3,
      skipped_records: 3,
      total_checked: 6,
    });
    expect(await api.chatHistory.checkAndSyncEmail()).toMatchObject({
      synced_records: 0,
      total_checked: 3,
    });
    expect(await api.chatHistory.syncEmailToUserChat()).toEqual({
      message: 'Sync completed successfully',
      synced_records: 1,
      skipped_records: 3,
      total_processed: 4,
    });
    for (const call of [api.chatHistory.syncEmailToUserChat, api.chatHistory.syncAllPending]) {
      expect(await call()).toMatchObject({
        synced_records: 0,
        skipped_records: 3,
        total_processed: 3,
      });
    }
    expect(await api.chatHistory.syncAllPending()).toMatchObject({
      message: 'Synced all pending chat history records',
    });

    const links = await userChatRows(deps.db);
    const pairs = links.map((l) => `${l.email}|${l.conversationId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.sort()).toEqual(
      [
        'ann@example.com|conv-a',
        'ann@example.com|bulk-1',
        'ann@example.com|old-1',
        'bob.smith@example.com|conv-b',
        'bob.smith@example.com|bulk-2',
      ].sort(),
    );
  });

  it('links rows of an e-mail that signs up later', async () => {
    const api = await callerFor(deps);
    const late = await signUpUser(deps, 'ghost@example.com');
    expect(await api.chatHistory.syncAllPending()).toMatchObject({
      synced_records: 1,
      skipped_records: 2,
    });
    expect(await api.userChat.byUser({ user_id: late.userId })).toEqual([
      expect.objectContaining({ conversation_id: 'bulk-3', email: 'ghost@example.com' }),
    ]);
  });

  it('syncRange only looks at the announced rows', async () => {
    const api = await callerFor(deps);
    const [a, b] = await insertChatRows(deps.db, [
      { conversation_id: 'range-1', email: 'ann@example.com' },
      { conversation_id: 'range-2', email: 'ann@example.com' },
    ]);
    expect(await api.chatHistory.syncRange({ from_log_id: a!, to_log_id: a! })).toMatchObject({
      synced_records: 1,
      total_processed: 1,
    });
    expect(await api.chatHistory.syncRange({ from_log_id: a!, to_log_id: b! })).toMatchObject({
      synced_records: 1,
    });
  });
});

describe('userChat queries', () => {
  it('return the documented fields only, newest first, scoped by user or e-mail', async () => {
    const api = await callerFor(deps);
    const all = await api.userChat.list();
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const row of all) expect(Object.keys(row).sort()).toEqual(USER_CHAT_KEYS);
    const times = all.map((r) => r.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(await api.userChat.list({ limit: 2 })).toHaveLength(2);

    const bobs = await api.userChat.byUser({ user_id: bob.userId });
    expect(bobs.map((r) => r.conversation_id).sort()).toEqual(['bulk-2', 'conv-b']);
    expect(bobs.every((r) => r.user_id === bob.userId)).toBe(true);
    expect(await api.userChat.byEmail({ email: '  BOB.SMITH@example.com ' })).toEqual(bobs);
    expect(await api.userChat.byUser({ user_id: 'no-such-user' })).toEqual([]);
  });

  it('never expose password hashes or any other user column', async () => {
    const api = await callerFor(deps);
    const text = JSON.stringify(await api.userChat.list({ limit: 1000 }));
    const [user] = await deps.db.select().from(schema.users).limit(1);
    expect(user?.passwordHash).toBeTruthy();
    expect(text).not.toContain(user!.passwordHash!);
    expect(text).not.toMatch(/password|hash|token/i);
  });
});

describe('access rule', () => {
  const everyProcedure = async (api: Awaited<ReturnType<typeof callerFor>>) => [
    () => api.chatHistory.create(chat('denied', { email: 'ann@example.com' })),
    () => api.chatHistory.syncEmailToUserChat(),
    () => api.chatHistory.checkAndSyncEmail(),
    () => api.chatHistory.syncAllPending(),
    () => api.chatHistory.syncRange({ from_log_id: 1, to_log_id: 2 }),
    () => api.chatHistory.ping(),
    () => api.chatHistory.onInserted(),
    () => api.userChat.list(),
    () => api.userChat.byUser({ user_id: ann.userId }),
    () => api.userChat.byEmail({ email: ann.email }),
  ];
  const expect401 = async (fn: () => Promise<unknown>) => {
    const err = await fn().catch((e: unknown) => e);
    expect(findAppError(err)?.code).toBe('UNAUTHORIZED');
  };

  it('answers loopback clients without a key, 401 for anyone else (even with a user token)', async () => {
    expect(await (await callerFor(deps, null, '::1')).chatHistory.ping()).toEqual({ status: 'ok' });
    expect(await (await callerFor(deps, null, '::ffff:127.0.0.1')).chatHistory.ping()).toEqual({
      status: 'ok',
    });
    for (const fn of await everyProcedure(await callerFor(deps, null, '10.1.2.3')))
      await expect401(fn);
    for (const fn of await everyProcedure(await callerFor(deps, ann.token, '192.168.1.20')))
      await expect401(fn);
  });

  it('with SERVICE_API_KEY set, requires that key as bearer from everywhere', async () => {
    const keyed = await createTestDeps({ SERVICE_API_KEY: 'svc-key-0123456789' });
    try {
      for (const fn of await everyProcedure(await callerFor(keyed, null))) await expect401(fn);
      for (const fn of await everyProcedure(await callerFor(keyed, 'wrong-key')))
        await expect401(fn);
      const remote = await callerFor(keyed, 'svc-key-0123456789', '10.1.2.3');
      expect(await remote.chatHistory.ping()).toEqual({ status: 'ok' });
      expect(await remote.chatHistory.syncAllPending()).toMatchObject({ total_processed: 0 });
      expect(await keyed.db.select().from(schema.chatHistory)).toEqual([]);
    } finally {
      await keyed.close();
    }
  });
});
