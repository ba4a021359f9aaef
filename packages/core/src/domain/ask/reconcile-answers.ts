import type { Deps } from '../../ports/deps';
import type { AnswerMetadata } from '../conversations';

/**
 * Start-up recovery: a question whose answer never got saved (the process was killed mid-answer) gets
 * the interrupted assistant message the stream would have saved, empty. With several gateways on one
 * database, another one may still be answering such a question: the placeholder is then only added
 * while the question has no answer, and that gateway's answer takes the placeholder's place when it
 * is saved (`answers` in `MessageStore.append`). Returns how many questions it closed.
 */
export async function reconcileUnansweredQuestions(
  deps: Pick<Deps, 'messages' | 'clock' | 'log'>,
): Promise<number> {
  let closed = 0;
  for (const q of await deps.messages.unansweredQuestions()) {
    const asked = q.metadata as Partial<AnswerMetadata>;
    const questionId = String(asked.question_id);
    const metadata: AnswerMetadata = {
      question_id: questionId,
      search_type: asked.search_type,
      file_id: asked.file_id,
      sources: [],
      status: 'interrupted',
    };
    const appended = await deps.messages.append({
      userId: q.userId,
      conversationId: q.conversationId,
      role: 'assistant',
      content: '',
      metadata,
      now: deps.clock.now(),
      answers: { questionId, questionSequence: q.sequence, placeholder: true },
    });
    if (appended) closed++;
  }
  if (closed)
    deps.log.warn({ questions: closed }, 'marked answers cut off by a crash as interrupted');
  return closed;
}
