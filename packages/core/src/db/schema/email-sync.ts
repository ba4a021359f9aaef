import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Chat logs written by the chatbot integration. `email_normalized` is filled by a database trigger
 * (migration 0001): the trimmed, lower-cased `email`, else the `"Email"` key of a JSON `input_text`.
 * Computing it in the database keeps rows inserted by any writer (the API or plain SQL) matchable.
 */
export const chatHistory = pgTable(
  'chat_history',
  {
    logId: bigserial('log_id', { mode: 'number' }).primaryKey(),
    nameApp: text('name_app').notNull(),
    appId: text('app_id'),
    inputText: text('input_text').notNull(),
    outputText: text('output_text').notNull(),
    conversationId: text('conversation_id').notNull(),
    email: text('email'),
    emailNormalized: text('email_normalized'),
    /** The auth provider's user id once matched (UUID string); null = pending. */
    userId: text('user_id'),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('chat_history_conversation_id_not_blank', sql`btrim(${t.conversationId}) <> ''`),
    // The sync walks pending rows grouped by e-mail; unmatched rows stay here until a user appears.
    index('chat_history_pending_email_idx')
      .on(t.emailNormalized)
      .where(sql`${t.userId} is null`),
    index('chat_history_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.userId} is null`),
  ],
);

/** One row per (e-mail, conversation) linked to a user; the unique key makes every sync path idempotent. */
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
