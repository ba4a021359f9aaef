import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const chatHistory = pgTable(
  'chat_history',
  {
    logId: bigserial('log_id', { mode: 'number' }).primaryKey(),
    nameApp: text('name_app').notNull(),
    appId: text('app_id'),
    inputText: text('input_text').notNull(),
    outputText: text('output_text').notNull(),
    conversationId: text('conversation_id'),
    email: text('email'),
    /** The auth provider's user id once matched (UUID string); null = pending. */
    userId: text('user_id'),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('chat_history_pending_idx').on(t.createdAt).where(sql`${t.userId} is null`),
  ],
);

export const userChat = pgTable(
  'user_chat',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appId: text('app_id'),
    conversationId: text('conversation_id').notNull(),
    email: text('email').notNull(),
    userId: text('user_id').notNull(),
    nameApp: text('name_app'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_chat_email_conversation_key').on(t.email, t.conversationId),
    index('user_chat_user_idx').on(t.userId),
  ],
);
