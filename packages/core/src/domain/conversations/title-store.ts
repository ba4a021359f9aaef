import { and, eq } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations } from '../../db/schema/conversations';
import type { Language, Llm } from '../../ports/llm';
import { acceptModelTitle } from './titles';

/** Replaces the automatic title by the model's, unless the user renamed the conversation meanwhile. */
export async function setModelTitle(
  db: Db,
  userId: string,
  id: string,
  title: string,
): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ title, titleSource: 'model' })
    .where(
      and(
        eq(conversations.id, id),
        eq(conversations.userId, userId),
        eq(conversations.titleSource, 'auto'),
      ),
    )
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * Lets the model improve the automatic title of a conversation's first question (no-op without a
 * model). Never fails the caller: a title decorates the conversation, it must not sink the answer.
 */
export async function improveTitleWithModel(
  deps: { db: Db; llm: Llm },
  input: { userId: string; conversationId: string; question: string; language: Language },
  signal?: AbortSignal,
): Promise<void> {
  try {
    const reply = await deps.llm.conversationTitle({
      question: input.question,
      language: input.language,
      signal,
    });
    const title = acceptModelTitle(reply);
    if (title && !signal?.aborted)
      await setModelTitle(deps.db, input.userId, input.conversationId, title);
  } catch {
    // The automatic title stays.
  }
}
