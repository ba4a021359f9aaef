import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    title: text('title'),
    /** Who set the title: `auto` (first question), `model` (LLM-improved) or `user` (renamed). */
    titleSource: text('title_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUpdated: timestamp('last_updated', { withTimezone: true }).notNull().defaultNow(),
    /** Highest sequence handed out; bumped atomically to number messages without gaps. */
    lastSequence: integer('last_sequence').notNull().default(0),
  },
  (t) => [index('conversations_user_idx').on(t.userId, t.lastUpdated)],
);

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    sequence: integer('sequence').notNull(),
    role: text('role').notNull(),
    content: text('content').notNull(),
    metadata: jsonb('metadata'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('messages_conversation_sequence_key').on(t.conversationId, t.sequence)],
);

/** The caller's "current conversation": per user, never global. */
export const userState = pgTable('user_state', {
  userId: uuid('user_id').primaryKey(),
  currentConversationId: text('current_conversation_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
