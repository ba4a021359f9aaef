import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { schema, type Database } from '@rag/core';

import { createPostgresAskTargetLookup } from '../../../packages/core/src/adapters/postgres/ask-target-lookup';
import {
  appendMessage,
  createConversation,
  currentConversation,
  latestWithMessages,
  listMessages,
  pageConversations,
  setCurrentConversation,
} from '../../../packages/core/src/domain/conversations/store';
import type { AskTargetLookup } from '../../../packages/core/src/ports/ask-target-lookup';
import { testDatabases } from '../../support/databases';

const resolveAskTarget = (db: Database['db'], input: Parameters<AskTargetLookup['resolve']>[0]) =>
  createPostgresAskTargetLookup(db).resolve(input);

describe.each(testDatabases())('conversation store on $name', ({ open }) => {
  let database: Database;
  const alice = randomUUID();
  const bob = randomUUID();

  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  it('numbers concurrent messages of one conversation 1..n without gaps or repeats', async () => {
    const { db } = database;
    const conv = await createConversation(db, alice, at(0));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appendMessage(db, {
          userId: alice,
          conversationId: conv.id,
          role: i % 2 ? 'assistant' : 'user',
          content: `m${i}`,
          metadata: { i },
          now: at(1),
        }),
      ),
    );
    expect(results.map((r) => r?.sequence).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const rows = await listMessages(db, conv.id);
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(
      (await listMessages(db, conv.id, { limit: 3, beforeSequence: 10 })).map((r) => r.sequence),
    ).toEqual([7, 8, 9]);
  });

  it("never appends to another user's conversation", async () => {
    const { db } = database;
    const conv = await createConversation(db, alice, at(2));
    expect(
      await appendMessage(db, {
        userId: bob,
        conversationId: conv.id,
        role: 'user',
        content: 'x',
        metadata: null,
        now: at(3),
      }),
    ).toBeUndefined();
    expect(await listMessages(db, conv.id)).toEqual([]);
  });

  it('pages newest first with first question and count, and finds the latest with messages', async () => {
    const { db } = database;
    const carol = randomUUID();
    const older = await createConversation(db, carol, at(10));
    await appendMessage(db, {
      userId: carol,
      conversationId: older.id,
      role: 'user',
      content: 'first?',
      metadata: null,
      now: at(11),
    });
    await appendMessage(db, {
      userId: carol,
      conversationId: older.id,
      role: 'assistant',
      content: 'yes',
      metadata: null,
      now: at(12),
    });
    const empty = await createConversation(db, carol, at(20));
    const page = await pageConversations(db, carol, { offset: 0, limit: 10 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.id, r.firstMessage, r.messageCount])).toEqual([
      [empty.id, null, 0],
      [older.id, 'first?', 2],
    ]);
    expect((await latestWithMessages(db, carol))?.id).toBe(older.id);
    expect((await pageConversations(db, bob, { offset: 0, limit: 10 })).total).toBe(0);
  });

  it("keeps the current conversation per user and resolves an ask's files and conversation in one query", async () => {
    const { db } = database;
    const mine = randomUUID();
    await db.insert(schema.files).values({
      id: mine,
      userId: alice,
      filename: 'a.md',
      storageKey: 'k',
      extension: '.md',
      size: 1,
      sha256: randomUUID(),
      status: 'indexed',
      stage: 'indexed',
    });
    const conv = await createConversation(db, alice, at(30));
    const bobs = await createConversation(db, bob, at(31));
    await setCurrentConversation(db, alice, conv.id, at(32));
    expect((await currentConversation(db, alice))?.id).toBe(conv.id);
    expect(await currentConversation(db, bob)).toBeUndefined();

    const current = await resolveAskTarget(db, {
      userId: alice,
      fileIds: [mine, randomUUID(), 'nope'],
      conversationId: null,
    });
    expect([...current.owned]).toEqual([mine]);
    expect(current.conversationId).toBe(conv.id);
    expect(
      (await resolveAskTarget(db, { userId: alice, fileIds: [], conversationId: bobs.id }))
        .conversationId,
    ).toBeNull();
    expect(
      (await resolveAskTarget(db, { userId: bob, fileIds: [mine], conversationId: null })).owned
        .size,
    ).toBe(0);

    // Appending can make a conversation current in the same statement.
    const other = await createConversation(db, alice, at(33));
    await appendMessage(db, {
      userId: alice,
      conversationId: other.id,
      role: 'user',
      content: 'q',
      metadata: null,
      now: at(34),
      makeCurrent: true,
    });
    expect((await currentConversation(db, alice))?.id).toBe(other.id);
  });
});
