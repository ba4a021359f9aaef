import type { ConversationStore } from '../../ports/conversation-store';
import type { Language, Llm } from '../../ports/llm';
import { acceptModelTitle } from './titles';

/**
 * Lets the model improve the automatic title of a conversation's first question (no-op without a
 * model). Never fails the caller: a title decorates the conversation, it must not sink the answer.
 */
export async function improveTitleWithModel(
  deps: { conversations: ConversationStore; llm: Llm },
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
      await deps.conversations.setModelTitle(input.userId, input.conversationId, title);
  } catch {
    // The automatic title stays.
  }
}
