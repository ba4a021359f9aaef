import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, messages, userState } from '../../db/schema/conversations';
import type {
  AppendedMessage,
  HistoryMessage,
  MessageRole,
  MessageStore,
  NewMessage,
  StoredMessage,
  UnansweredQuestion,
} from '../../ports/message-store';
import { jsonb, queryRow, queryRows, timestamptz, toNumber, type Executor } from './sql-helpers';

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

/**
 * The `limit` messages before the row of `inserted` (a CTE returning conversation_id and sequence), as
 * one json column: an ask's history, read in the statement that saves its question.
 */
export const historyAfter = (limit: number): SQL =>
  sql`(SELECT coalesce(json_agg(json_build_object('sequence', h.sequence, 'role', h.role,
         'content', h.content) ORDER BY h.sequence), '[]'::json)
     FROM (SELECT m.sequence, m.role, m.content FROM ${messages} m
            WHERE m.conversation_id = inserted.conversation_id AND m.sequence < inserted.sequence
            ORDER BY m.sequence DESC LIMIT ${limit}) h)`;

/**
 * The appended message from its row (`id`, `sequence`, `history` from `historyAfter` when `limit`).
 * Sequences are gap-free, so the history must be exactly the `limit` messages before this one. On
 * Postgres an append that waited for a concurrent one's row lock reads with the snapshot from before
 * that one committed: then the history misses that message and is read on its own.
 */
export async function withHistory(
  store: Pick<MessageStore, 'list'>,
  at: { userId: string; conversationId: string; limit: number | undefined },
  row: { id: unknown; sequence: unknown; history?: unknown },
): Promise<AppendedMessage> {
  const sequence = toNumber(row.sequence);
  const appended = { id: toNumber(row.id), sequence };
  if (!at.limit) return appended;
  const turns = historyRows(row.history);
  if (isComplete(turns, sequence, at.limit)) return { ...appended, history: turns };
  const rows = await store.list(at.userId, at.conversationId, {
    limit: at.limit,
    beforeSequence: sequence,
  });
  const history = rows.map(({ sequence, role, content }) => ({ sequence, role, content }));
  return { ...appended, history };
}

/** The history column: json rows (node-postgres and PGlite parse json; a string is parsed here). */
function historyRows(value: unknown): HistoryMessage[] {
  const rows = (typeof value === 'string' ? JSON.parse(value) : value) as unknown;
  if (!Array.isArray(rows)) return [];
  return rows.map((r: { sequence: unknown; role: unknown; content: unknown }) => ({
    sequence: toNumber(r.sequence),
    role: r.role === 'assistant' ? 'assistant' : 'user',
    content: String(r.content),
  }));
}

/** Whether `turns` are the `limit` messages just before `sequence`, none missing. */
function isComplete(turns: HistoryMessage[], sequence: number, limit: number): boolean {
  const expected = Math.min(limit, sequence - 1);
  return turns.length === expected && turns.every((t, i) => t.sequence === sequence - expected + i);
}

/**
 * The bump of `last_sequence` and the insert are one statement: the UPDATE's row lock serialises
 * concurrent appends to a conversation and a failed insert rolls the bump back. The history, when
 * asked for, comes back in the same statement (one round trip less per ask).
 */
async function appendRow(
  store: Pick<MessageStore, 'list'>,
  on: Executor,
  input: NewMessage,
): Promise<AppendedMessage | undefined> {
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
  const history = input.history ? historyAfter(input.history) : sql`null`;
  const row = await queryRow<{ id: unknown; sequence: unknown; history: unknown }>(
    on,
    sql`
  WITH bumped AS (
    UPDATE ${conversations}
       SET last_sequence = last_sequence + 1, last_updated = ${timestamptz(now)}${title}
     WHERE id = ${conversationId} AND user_id = ${userId}
 RETURNING id, last_sequence
  )${current}, inserted AS (
    INSERT INTO ${messages} (conversation_id, sequence, role, content, metadata, created_at)
    SELECT bumped.id, bumped.last_sequence, ${role}, ${content}, ${jsonb(metadata)}, ${timestamptz(now)}
      FROM bumped
 RETURNING id, conversation_id, sequence
  )
  SELECT inserted.id, inserted.sequence, ${history} AS history FROM inserted`,
  );
  if (!row) return undefined;
  return withHistory(store, { userId, conversationId, limit: input.history }, row);
}

// Each conflict is another save that succeeded, so this bounds only a bug.
const MAX_ANSWER_ATTEMPTS = 1000;

/**
 * An assistant message for a question, in one statement (the embedded database runs one statement at
 * a time, so a transaction of several round trips held every other ask's statements back under load).
 * A placeholder is appended only while the question has no answer; an answer takes the place of a
 * placeholder, or is appended. The conversation's update only applies while `last_sequence` is still
 * what the statement read, so a message another gateway saved meanwhile (a placeholder and the answer
 * it stands for, saved at once) makes it a `conflict`, to run again with a fresh read.
 */
async function saveAnswer(
  on: Executor,
  input: NewMessage,
  answers: NonNullable<NewMessage['answers']>,
): Promise<AppendedMessage | undefined | 'conflict'> {
  const { userId, conversationId, role, content, metadata, now } = input;
  const { questionId, questionSequence, placeholder } = answers;
  const replace = placeholder ? sql`false` : sql`coalesce((SELECT placeholder FROM answer), false)`;
  const act = placeholder ? sql`NOT EXISTS (SELECT 1 FROM answer)` : sql`true`;
  const row = await queryRow<{ owned: boolean; acts: boolean; id: unknown; sequence: unknown }>(
    on,
    sql`
  WITH conv AS (
    SELECT id, last_sequence FROM ${conversations} WHERE id = ${conversationId} AND user_id = ${userId}
  ), answer AS (
    SELECT id, sequence, content = '' AND metadata->>'status' = 'interrupted' AS placeholder
      FROM ${messages}
     WHERE conversation_id = ${conversationId} AND sequence > ${questionSequence}
       AND role = 'assistant' AND metadata->>'question_id' = ${questionId}
     ORDER BY sequence LIMIT 1
  ), bumped AS (
    UPDATE ${conversations} c
       SET last_sequence = c.last_sequence + CASE WHEN ${replace} THEN 0 ELSE 1 END,
           last_updated = ${timestamptz(now)}
      FROM conv
     WHERE c.id = conv.id AND c.last_sequence = conv.last_sequence AND ${act}
 RETURNING c.id, c.last_sequence
  ), inserted AS (
    INSERT INTO ${messages} (conversation_id, sequence, role, content, metadata, created_at)
    SELECT bumped.id, bumped.last_sequence, ${role}, ${content}, ${jsonb(metadata)}, ${timestamptz(now)}
      FROM bumped WHERE NOT ${replace}
 RETURNING id, sequence
  ), replaced AS (
    UPDATE ${messages} m
       SET content = ${content}, metadata = ${jsonb(metadata)}, created_at = ${timestamptz(now)}
      FROM bumped
     WHERE m.id = (SELECT id FROM answer) AND ${replace}
 RETURNING m.id, m.sequence
  ), saved AS (SELECT id, sequence FROM inserted UNION ALL SELECT id, sequence FROM replaced)
  SELECT EXISTS (SELECT 1 FROM conv) AS owned, ${act} AS acts,
         (SELECT id FROM saved) AS id, (SELECT sequence FROM saved) AS sequence`,
  );
  if (!row?.owned || !row.acts) return undefined;
  if (row.id === null || row.id === undefined) return 'conflict';
  return { id: toNumber(row.id), sequence: toNumber(row.sequence) };
}

/** The messages table; reads join the conversation so they are scoped by its owner. */
export function createPostgresMessageStore(db: Db): MessageStore {
  const store: MessageStore = {
    async append(input) {
      if (!input.answers) return appendRow(store, db, input);
      for (let attempt = 1; ; attempt++) {
        const saved = await saveAnswer(db, input, input.answers);
        if (saved !== 'conflict') return saved;
        // Another message of the conversation was saved between this statement's snapshot and its
        // update; read again (the placeholder or answer it may have been).
        if (attempt >= MAX_ANSWER_ATTEMPTS) throw new Error('answer save kept conflicting');
      }
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
        sequence: unknown;
        metadata: Record<string, unknown>;
      }>(
        db,
        sql`
    SELECT q.conversation_id, c.user_id, q.sequence, q.metadata
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
        sequence: toNumber(r.sequence),
        metadata: r.metadata,
      }));
    },
  };
  return store;
}
