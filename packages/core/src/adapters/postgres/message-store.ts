import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, messages, userState } from '../../db/schema/conversations';
import type {
  MessageRole,
  MessageStore,
  StoredMessage,
  UnansweredQuestion,
} from '../../ports/message-store';
import { jsonb, queryRow, queryRows, timestamptz, toNumber } from './sql-helpers';

type Row = typeof messages.$inferSelect;

function toMessage(r: Row): StoredMessage {
  return {
    id: r.id,
    conversationId: r.conversationId,
    sequence: r.sequence,
    role: (r.role === 'assistant' ? 'assistant' : 'user') satisfies MessageRole,
    content: r.content,
    metadata: (r.metadata ?? null) as Record<string, unknown> | null,
    createdAt: r.createdAt,
  };
}

/** The messages table; reads join the conversation so they are scoped by its owner. */
export function createPostgresMessageStore(db: Db): MessageStore {
  return {
    /**
     * The bump of `last_sequence` and the insert are one statement: the UPDATE's row lock
     * serialises concurrent appends to a conversation and a failed insert rolls the bump back.
     */
    async append(input) {
      const { userId, conversationId, role, content, metadata, now } = input;
      // Same statement as the bump, so two first questions racing cannot both title it.
      const title = input.titleIfFirst
        ? sql`, title = CASE WHEN last_sequence = 0 THEN COALESCE(title, ${input.titleIfFirst}) ELSE title END,
           title_source = CASE WHEN last_sequence = 0 AND title IS NULL THEN 'auto' ELSE title_source END`
        : sql``;
      const current = input.makeCurrent
        ? sql`, current AS (
      INSERT INTO ${userState} (user_id, current_conversation_id, updated_at)
      SELECT ${userId}, bumped.id, ${timestamptz(now)} FROM bumped
      ON CONFLICT (user_id) DO UPDATE
        SET current_conversation_id = excluded.current_conversation_id, updated_at = excluded.updated_at
    )`
        : sql``;
      const row = await queryRow<{ id: unknown; sequence: unknown }>(
        db,
        sql`
    WITH bumped AS (
      UPDATE ${conversations}
         SET last_sequence = last_sequence + 1, last_updated = ${timestamptz(now)}${title}
       WHERE id = ${conversationId} AND user_id = ${userId}
   RETURNING id, last_sequence
    )${current}
    INSERT INTO ${messages} (conversation_id, sequence, role, content, metadata, created_at)
    SELECT bumped.id, bumped.last_sequence, ${role}, ${content}, ${jsonb(metadata)}, ${timestamptz(now)}
      FROM bumped
 RETURNING id, sequence`,
      );
      return row ? { id: toNumber(row.id), sequence: toNumber(row.sequence) } : undefined;
    },

    async list(userId, conversationId, opts = {}) {
      const owned = sql`exists (select 1 from ${conversations} c
        where c.id = ${conversationId} and c.user_id = ${userId})`;
      const of = and(eq(messages.conversationId, conversationId), owned);
      const where = opts.beforeSequence ? and(of, lt(messages.sequence, opts.beforeSequence)) : of;
      if (opts.limit === undefined) {
        const rows = await db.select().from(messages).where(where).orderBy(asc(messages.sequence));
        return rows.map(toMessage);
      }
      const newest = await db
        .select()
        .from(messages)
        .where(where)
        .orderBy(desc(messages.sequence))
        .limit(opts.limit);
      return newest.reverse().map(toMessage);
    },

    async unansweredQuestions(): Promise<UnansweredQuestion[]> {
      const rows = await queryRows<{
        conversation_id: string;
        user_id: string;
        metadata: Record<string, unknown>;
      }>(
        db,
        sql`
    SELECT q.conversation_id, c.user_id, q.metadata
      FROM ${messages} q
      JOIN ${conversations} c ON c.id = q.conversation_id
     WHERE q.role = 'user' AND q.metadata ? 'question_id'
       AND NOT EXISTS (
         SELECT 1 FROM ${messages} a
          WHERE a.conversation_id = q.conversation_id AND a.role = 'assistant'
            AND a.metadata->>'question_id' = q.metadata->>'question_id')
     ORDER BY q.conversation_id, q.sequence`,
      );
      return rows.map((r) => ({
        userId: r.user_id,
        conversationId: r.conversation_id,
        metadata: r.metadata,
      }));
    },
  };
}
