import { sql } from 'drizzle-orm';

import type { Deps } from '../../ports/deps';
import { conversations, messages } from '../../db/schema/conversations';
import { appendMessage } from '../conversations/store';
import type { AnswerMetadata } from '../conversations/views';

type Unanswered = { conversation_id: string; user_id: string; metadata: AnswerMetadata };

/**
 * Start-up recovery: a question whose answer never got saved (the process was killed mid-answer) gets
 * the interrupted assistant message the stream would have saved, empty. Runs before the server accepts
 * requests, so no answer can be in flight; returns how many questions it closed.
 */
export async function reconcileUnansweredQuestions(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
): Promise<number> {
  const result = (await deps.db.execute(sql`
    SELECT q.conversation_id, c.user_id, q.metadata
      FROM ${messages} q
      JOIN ${conversations} c ON c.id = q.conversation_id
     WHERE q.role = 'user' AND q.metadata ? 'question_id'
       AND NOT EXISTS (
         SELECT 1 FROM ${messages} a
          WHERE a.conversation_id = q.conversation_id AND a.role = 'assistant'
            AND a.metadata->>'question_id' = q.metadata->>'question_id')
     ORDER BY q.conversation_id, q.sequence`)) as unknown as { rows: Unanswered[] };
  for (const q of result.rows) {
    const metadata: AnswerMetadata = {
      question_id: q.metadata.question_id,
      search_type: q.metadata.search_type,
      file_id: q.metadata.file_id,
      sources: [],
      status: 'interrupted',
    };
    await appendMessage(deps.db, {
      userId: q.user_id,
      conversationId: q.conversation_id,
      role: 'assistant',
      content: '',
      metadata,
      now: deps.clock.now(),
    });
  }
  if (result.rows.length)
    deps.log.warn(
      { questions: result.rows.length },
      'marked answers cut off by a crash as interrupted',
    );
  return result.rows.length;
}
