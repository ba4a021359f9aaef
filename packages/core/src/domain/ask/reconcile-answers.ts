import type { Deps } from '../../ports/deps';
import type { AnswerMetadata } from '../conversations';

/**
 * Start-up recovery: a question whose answer never got saved (the process was killed mid-answer) gets
 * the interrupted assistant message the stream would have saved, empty. Runs before the server accepts
 * requests, so no answer can be in flight; returns how many questions it closed.
 */
export async function reconcileUnansweredQuestions(
  deps: Pick<Deps, 'messages' | 'clock' | 'log'>,
): Promise<number> {
  const questions = await deps.messages.unansweredQuestions();
  for (const q of questions) {
    const asked = q.metadata as Partial<AnswerMetadata>;
    const metadata: AnswerMetadata = {
      question_id: String(asked.question_id),
      search_type: asked.search_type,
      file_id: asked.file_id,
      sources: [],
      status: 'interrupted',
    };
    await deps.messages.append({
      userId: q.userId,
      conversationId: q.conversationId,
      role: 'assistant',
      content: '',
      metadata,
      now: deps.clock.now(),
    });
  }
  if (questions.length)
    deps.log.warn(
      { questions: questions.length },
      'marked answers cut off by a crash as interrupted',
    );
  return questions.length;
}
