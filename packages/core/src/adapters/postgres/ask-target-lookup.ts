import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, messages, userState } from '../../db/schema/conversations';
import { files } from '../../db/schema/documents';
import type { AskTargetLookup } from '../../ports/ask-target-lookup';
import { createPostgresMessageStore, historyAfter, withHistory } from './message-store';
import { isUuid, jsonb, queryRow, textArray, timestamptz, uuidArray } from './sql-helpers';

/** Of the requested files, the user's; and the conversation to ask in (the requested one, else current). */
const targetOf = (userId: string, fileIds: string[], conversationId: string | null) => sql`
  select
    (select coalesce(array_agg(f.id::text), '{}') from ${files} f
      where f.user_id = ${userId} and f.id = any(${uuidArray(fileIds.filter(isUuid))})) as owned,
    (select c.id from ${conversations} c
      where c.user_id = ${userId}
        and c.id = coalesce(${conversationId}::text,
                            (select s.current_conversation_id from ${userState} s where s.user_id = ${userId}))
    ) as conversation_id`;

type TargetRow = { owned: unknown; conversation_id: string | null };

/** The ask's files and conversation in one statement (it sits before the first byte of the answer). */
export function createPostgresAskTargetLookup(db: Db): AskTargetLookup {
  const messageStore = createPostgresMessageStore(db);
  return {
    async resolve({ userId, fileIds, conversationId }) {
      const row = await queryRow<TargetRow>(db, targetOf(userId, fileIds, conversationId));
      return {
        owned: new Set(textArray(row?.owned)),
        conversationId: row?.conversation_id ?? null,
      };
    },

    /**
     * One statement: the target, then (only when it checks out) a new conversation if there is none to
     * ask in, the bump of the conversation, the question insert, the user's current conversation and
     * the history — the same writes `conversations.create` and `messages.append` make.
     */
    async resolveAndSave({ userId, fileIds, conversationId, question: q }) {
      const now = timestamptz(q.now);
      // Same statement as the bump, so two first questions racing cannot both title it.
      const title = q.titleIfFirst
        ? sql`, title = CASE WHEN last_sequence = 0 THEN COALESCE(title, ${q.titleIfFirst}) ELSE title END,
           title_source = CASE WHEN last_sequence = 0 AND title IS NULL THEN 'auto' ELSE title_source END`
        : sql``;
      const row = await queryRow<
        TargetRow & { id: unknown; sequence: unknown; history: unknown; ask_in: string | null }
      >(
        db,
        sql`
    WITH target AS (${targetOf(userId, fileIds, conversationId)}),
    allowed AS (
      SELECT conversation_id FROM target
       WHERE cardinality(owned) = ${fileIds.length}
         AND (conversation_id IS NOT NULL OR ${conversationId}::text IS NULL)
    ),
    -- Written as it is after its first bump: the UPDATE below cannot see it (one snapshot).
    created AS (
      INSERT INTO ${conversations} (id, user_id, created_at, last_updated, last_sequence, title, title_source)
      SELECT ${q.newConversationId}, ${userId}, ${now}, ${now}, 1, ${q.titleIfFirst}::text,
             ${q.titleIfFirst ? 'auto' : null}::text
        FROM allowed WHERE allowed.conversation_id IS NULL
   RETURNING id, last_sequence
    ),
    bumped AS (
      UPDATE ${conversations}
         SET last_sequence = last_sequence + 1, last_updated = ${now}${title}
       WHERE id = (SELECT conversation_id FROM allowed) AND user_id = ${userId}
   RETURNING id, last_sequence
    ),
    ask_in AS (SELECT id, last_sequence FROM bumped UNION ALL SELECT id, last_sequence FROM created),
    current AS (
      INSERT INTO ${userState} (user_id, current_conversation_id, updated_at)
      SELECT ${userId}, ask_in.id, ${now} FROM ask_in
      ON CONFLICT (user_id) DO UPDATE
        SET current_conversation_id = excluded.current_conversation_id, updated_at = excluded.updated_at
    ),
    inserted AS (
      INSERT INTO ${messages} (conversation_id, sequence, role, content, metadata, created_at)
      SELECT ask_in.id, ask_in.last_sequence, 'user', ${q.content}, ${jsonb(q.metadata)}, ${now}
        FROM ask_in
   RETURNING id, conversation_id, sequence
    )
    SELECT target.owned, target.conversation_id, inserted.id, inserted.sequence,
           inserted.conversation_id AS ask_in, ${historyAfter(q.history)} AS history
      FROM target LEFT JOIN inserted ON true`,
      );
      const target = {
        owned: new Set(textArray(row?.owned)),
        conversationId: row?.conversation_id ?? null,
      };
      if (!row?.ask_in) return { ...target, saved: undefined };
      const at = { userId, conversationId: row.ask_in, limit: q.history };
      return {
        ...target,
        conversationId: row.ask_in,
        saved: await withHistory(messageStore, at, row),
      };
    },
  };
}
