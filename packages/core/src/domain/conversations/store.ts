import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, messages, userState } from '../../db/schema/conversations';
import { newConversationId } from './ids';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type MessageRole = 'user' | 'assistant';

/** Every read and write below is scoped by the owner's `userId`. */
export async function createConversation(
  db: Db,
  userId: string,
  now: Date,
): Promise<ConversationRow> {
  const [row] = await db
    .insert(conversations)
    .values({ id: newConversationId(), userId, createdAt: now, lastUpdated: now })
    .returning();
  if (!row) throw new Error('conversation insert returned nothing');
  return row;
}

export async function findConversation(
  db: Db,
  userId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .limit(1);
  return row;
}

/**
 * Appends a message with the next sequence number. The bump of `last_sequence` and the insert are one
 * statement: the UPDATE's row lock serialises concurrent appends to a conversation and a failed insert
 * rolls the bump back, so sequences stay unique and gap-free. Returns undefined when the conversation
 * is not the user's (or was deleted meanwhile).
 */
export async function appendMessage(
  db: Db,
  input: {
    userId: string;
    conversationId: string;
    role: MessageRole;
    content: string;
    metadata: Record<string, unknown> | null;
    now: Date;
    /** Also record the conversation as the user's current one (same statement, one round trip). */
    makeCurrent?: boolean;
    /** Title to give the conversation if this is its first message and it has none yet. */
    titleIfFirst?: string | null;
  },
): Promise<{ id: number; sequence: number } | undefined> {
  const { userId, conversationId, role, content, metadata, now } = input;
  // Same statement as the bump, so two first questions racing cannot both title it.
  const title = input.titleIfFirst
    ? sql`, title = CASE WHEN last_sequence = 0 THEN COALESCE(title, ${input.titleIfFirst}) ELSE title END,
           title_source = CASE WHEN last_sequence = 0 AND title IS NULL THEN 'auto' ELSE title_source END`
    : sql``;
  const current = input.makeCurrent
    ? sql`, current AS (
      INSERT INTO ${userState} (user_id, current_conversation_id, updated_at)
      SELECT ${userId}, bumped.id, ${now.toISOString()}::timestamptz FROM bumped
      ON CONFLICT (user_id) DO UPDATE
        SET current_conversation_id = excluded.current_conversation_id, updated_at = excluded.updated_at
    )`
    : sql``;
  const result = (await db.execute(sql`
    WITH bumped AS (
      UPDATE ${conversations}
         SET last_sequence = last_sequence + 1, last_updated = ${now.toISOString()}::timestamptz${title}
       WHERE id = ${conversationId} AND user_id = ${userId}
   RETURNING id, last_sequence
    )${current}
    INSERT INTO ${messages} (conversation_id, sequence, role, content, metadata, created_at)
    SELECT bumped.id, bumped.last_sequence, ${role}, ${content},
           ${metadata === null ? null : JSON.stringify(metadata)}::jsonb, ${now.toISOString()}::timestamptz
      FROM bumped
 RETURNING id, sequence`)) as unknown as { rows: { id: number | string; sequence: number }[] };
  const row = result.rows[0];
  return row ? { id: Number(row.id), sequence: Number(row.sequence) } : undefined;
}

/** The conversation's messages in order: the last `limit` when given, only those before `beforeSequence`. */
export async function listMessages(
  db: Db,
  conversationId: string,
  opts: { limit?: number; beforeSequence?: number } = {},
): Promise<MessageRow[]> {
  const where = opts.beforeSequence
    ? and(eq(messages.conversationId, conversationId), lt(messages.sequence, opts.beforeSequence))
    : eq(messages.conversationId, conversationId);
  if (opts.limit === undefined) {
    return db.select().from(messages).where(where).orderBy(asc(messages.sequence));
  }
  const newest = await db
    .select()
    .from(messages)
    .where(where)
    .orderBy(desc(messages.sequence))
    .limit(opts.limit);
  return newest.reverse();
}

/** Sets the title of the user's conversation; false when it is not theirs (or missing). */
export async function renameConversation(
  db: Db,
  userId: string,
  id: string,
  title: string,
): Promise<boolean> {
  const updated = await db
    .update(conversations)
    .set({ title, titleSource: 'user' })
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning({ id: conversations.id });
  return updated.length > 0;
}

export async function deleteConversation(db: Db, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning({ id: conversations.id });
  return deleted.length > 0;
}

export type ConversationStats = ConversationRow & {
  firstMessage: string | null;
  messageCount: number;
};

// Drizzle renders a column of the single selected table unqualified, which would bind to `m` here.
const firstMessage = sql<string | null>`(
  SELECT m.content FROM ${messages} m
   WHERE m.conversation_id = "conversations"."id" AND m.role = 'user'
   ORDER BY m.sequence LIMIT 1)`;
const messageCount = sql<number>`(SELECT count(*)::int FROM ${messages} m WHERE m.conversation_id = "conversations"."id")`;

/** One page of the user's conversations, newest activity first, computed in the database. */
export async function pageConversations(
  db: Db,
  userId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: ConversationStats[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    db
      .select({ conversation: conversations, firstMessage, messageCount })
      .from(conversations)
      .where(eq(conversations.userId, userId))
      .orderBy(
        desc(conversations.lastUpdated),
        desc(conversations.createdAt),
        desc(conversations.id),
      )
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(eq(conversations.userId, userId)),
  ]);
  return {
    rows: rows.map((r) => ({
      ...r.conversation,
      firstMessage: r.firstMessage,
      messageCount: Number(r.messageCount),
    })),
    total: Number(count?.n ?? 0),
  };
}

/** The user's most recently updated conversation that has at least one message. */
export async function latestWithMessages(
  db: Db,
  userId: string,
): Promise<ConversationStats | undefined> {
  const [row] = await db
    .select({ conversation: conversations, firstMessage, messageCount })
    .from(conversations)
    .where(and(eq(conversations.userId, userId), gt(conversations.lastSequence, 0)))
    .orderBy(desc(conversations.lastUpdated), desc(conversations.createdAt), desc(conversations.id))
    .limit(1);
  return row
    ? {
        ...row.conversation,
        firstMessage: row.firstMessage,
        messageCount: Number(row.messageCount),
      }
    : undefined;
}

/** Records the conversation the user last created, opened or asked in (per user, never global). */
export async function setCurrentConversation(
  db: Db,
  userId: string,
  conversationId: string,
  now: Date,
) {
  await db
    .insert(userState)
    .values({ userId, currentConversationId: conversationId, updatedAt: now })
    .onConflictDoUpdate({
      target: userState.userId,
      set: { currentConversationId: conversationId, updatedAt: now },
    });
}

/** The user's current conversation, if it still exists and is theirs. */
export async function currentConversation(
  db: Db,
  userId: string,
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select({ conversation: conversations })
    .from(userState)
    .innerJoin(
      conversations,
      and(eq(conversations.id, userState.currentConversationId), eq(conversations.userId, userId)),
    )
    .where(eq(userState.userId, userId))
    .limit(1);
  return row?.conversation;
}
