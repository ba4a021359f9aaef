import { and, desc, eq, gt, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, messages, userState } from '../../db/schema/conversations';
import type {
  Conversation,
  ConversationStats,
  ConversationStore,
  TitleSource,
} from '../../ports/conversation-store';
import { countAll, returned, toNumber } from './sql-helpers';

type Row = typeof conversations.$inferSelect;

export function toConversation(r: Row): Conversation {
  return {
    id: r.id,
    userId: r.userId,
    title: r.title,
    titleSource: r.titleSource as TitleSource | null,
    createdAt: r.createdAt,
    lastUpdated: r.lastUpdated,
    lastSequence: r.lastSequence,
  };
}

// Drizzle renders a column of the single selected table unqualified, which would bind to `m` here.
const firstMessage = sql<string | null>`(
  SELECT m.content FROM ${messages} m
   WHERE m.conversation_id = "conversations"."id" AND m.role = 'user'
   ORDER BY m.sequence LIMIT 1)`;
const messageCount = sql<number>`(SELECT count(*)::int FROM ${messages} m WHERE m.conversation_id = "conversations"."id")`;
const newestFirst = [
  desc(conversations.lastUpdated),
  desc(conversations.createdAt),
  desc(conversations.id),
];

const toStats = (r: { conversation: Row; firstMessage: string | null; messageCount: unknown }) => ({
  ...toConversation(r.conversation),
  firstMessage: r.firstMessage,
  messageCount: toNumber(r.messageCount),
});

/** The conversations and user_state tables; every statement is scoped by the owner's user id. */
export function createPostgresConversationStore(db: Db): ConversationStore {
  const own = (userId: string, id: string) =>
    and(eq(conversations.id, id), eq(conversations.userId, userId));
  return {
    async create({ id, userId, now }) {
      const rows = await db
        .insert(conversations)
        .values({ id, userId, createdAt: now, lastUpdated: now })
        .returning();
      return toConversation(returned(rows, 'conversation insert'));
    },
    async find(userId, id) {
      const [row] = await db.select().from(conversations).where(own(userId, id)).limit(1);
      return row && toConversation(row);
    },
    async page(userId, page): Promise<{ rows: ConversationStats[]; total: number }> {
      const [rows, [count]] = await Promise.all([
        db
          .select({ conversation: conversations, firstMessage, messageCount })
          .from(conversations)
          .where(eq(conversations.userId, userId))
          .orderBy(...newestFirst)
          .limit(page.limit)
          .offset(page.offset),
        db.select({ n: countAll }).from(conversations).where(eq(conversations.userId, userId)),
      ]);
      return { rows: rows.map(toStats), total: toNumber(count?.n) };
    },
    async latestWithMessages(userId) {
      const [row] = await db
        .select({ conversation: conversations, firstMessage, messageCount })
        .from(conversations)
        .where(and(eq(conversations.userId, userId), gt(conversations.lastSequence, 0)))
        .orderBy(...newestFirst)
        .limit(1);
      return row && toStats(row);
    },
    async rename(userId, id, title) {
      const updated = await db
        .update(conversations)
        .set({ title, titleSource: 'user' })
        .where(own(userId, id))
        .returning({ id: conversations.id });
      return updated.length > 0;
    },
    async setModelTitle(userId, id, title) {
      const updated = await db
        .update(conversations)
        .set({ title, titleSource: 'model' })
        .where(and(own(userId, id), eq(conversations.titleSource, 'auto')))
        .returning({ id: conversations.id });
      return updated.length > 0;
    },
    async remove(userId, id) {
      const deleted = await db
        .delete(conversations)
        .where(own(userId, id))
        .returning({ id: conversations.id });
      return deleted.length > 0;
    },
    async setCurrent(userId, conversationId, now) {
      await db
        .insert(userState)
        .values({ userId, currentConversationId: conversationId, updatedAt: now })
        .onConflictDoUpdate({
          target: userState.userId,
          set: { currentConversationId: conversationId, updatedAt: now },
        });
    },
    async current(userId) {
      const [row] = await db
        .select({ conversation: conversations })
        .from(userState)
        .innerJoin(
          conversations,
          and(
            eq(conversations.id, userState.currentConversationId),
            eq(conversations.userId, userId),
          ),
        )
        .where(eq(userState.userId, userId))
        .limit(1);
      return row && toConversation(row.conversation);
    },
  };
}
