import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { schema, type Database } from '@rag/core/testing';

import { createPostgresConversationStore } from '../../../packages/core/src/adapters/postgres/conversation-store';
import { createPostgresMessageStore } from '../../../packages/core/src/adapters/postgres/message-store';
import { createPostgresAskTargetLookup } from '../../../packages/core/src/adapters/postgres/ask-target-lookup';
import { conversationStoresContract } from '../../support/conversation-store-contract';
import type { AskTargetLookup } from '../../../packages/core/src/ports/ask-target-lookup';
import { testDatabases } from '../../support/databases';

const resolveAskTarget = (db: Database['db'], input: Parameters<AskTargetLookup['resolve']>[0]) =>
  createPostgresAskTargetLookup(db).resolve(input);

for (const { name, open } of testDatabases()) {
  conversationStoresContract(`Postgres adapters on ${name}`, async () => {
    const database = await open();
    return {
      conversations: createPostgresConversationStore(database.db),
      messages: createPostgresMessageStore(database.db),
      close: () => database.close(),
    };
  });
}

describe.each(testDatabases())('ask target on $name', ({ open }) => {
  let database: Database;
  const alice = randomUUID();
  const bob = randomUUID();
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  it("resolves an ask's files and conversation in one query", async () => {
    const { db } = database;
    const conversations = createPostgresConversationStore(db);
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
    const now = new Date();
    const conv = await conversations.create({ id: `conv_${randomUUID()}`, userId: alice, now });
    const bobs = await conversations.create({ id: `conv_${randomUUID()}`, userId: bob, now });
    await conversations.setCurrent(alice, conv.id, now);

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
  });
});
