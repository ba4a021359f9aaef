import type { Deps } from '../../ports/deps';
import { findAppError } from '../../errors';
import type { Source } from '../conversations/schemas';
import { improveTitleWithModel } from '../conversations';
import type { AnswerMetadata } from '../conversations/views';
import { detectLanguage } from './language';
import { loadHistory, prepareAsk, type PreparedAsk } from './prepare-ask';
import { relatedQuestions } from './related';
import { searchParts } from '../answering';
import { DEFAULT_SOURCES, retrieveParts, toLlmSource, toSource } from './retrieve';
import type { AskEvent, AskInput } from './schemas';

export type AskDeps = Pick<
  Deps,
  | 'db'
  | 'files'
  | 'askTargets'
  | 'conversations'
  | 'messages'
  | 'clock'
  | 'log'
  | 'llm'
  | 'embedder'
  | 'vectorIndex'
>;

export const MSG_ASK_FAILED = 'Lỗi khi xử lý câu hỏi, vui lòng thử lại.';

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

/**
 * The answer stream: `start` before any retrieval, then `sources`, `content` pieces and `end`; a failure
 * after `start` becomes one `error` event. The answer is saved when it completes, fails, or the consumer
 * stops listening (client gone: saved as far as it got, marked interrupted).
 */
export async function* streamAnswer(
  deps: AskDeps,
  ask: PreparedAsk,
  signal?: AbortSignal,
): AsyncGenerator<AskEvent> {
  const ids = { question_id: ask.questionId, conversation_id: ask.conversationId };
  const language = detectLanguage(ask.question);
  let answer = '';
  let sources: Source[] = [];
  let query = ask.question;
  let saved = false;

  const save = async (
    status: NonNullable<AnswerMetadata['status']>,
    extra: Partial<AnswerMetadata> = {},
  ) => {
    if (saved) return;
    saved = true;
    const metadata: AnswerMetadata = {
      question_id: ask.questionId,
      search_type: ask.searchType,
      alpha: ask.alpha,
      file_id: ask.fileIds,
      max_sources: ask.maxSources,
      ...(query !== ask.question ? { query } : {}),
      sources,
      status,
      ...extra,
    };
    await deps.messages.append({
      userId: ask.userId,
      conversationId: ask.conversationId,
      role: 'assistant',
      content: answer,
      metadata,
      now: deps.clock.now(),
    });
  };

  // The first question's title is improved alongside the answer and stored before `end`.
  const titled =
    ask.questionSequence === 1
      ? improveTitleWithModel(
          deps,
          {
            userId: ask.userId,
            conversationId: ask.conversationId,
            question: ask.question,
            language,
          },
          signal,
        )
      : Promise.resolve();
  try {
    yield { event: 'start', data: { ...ids, search_type: ask.searchType, file_id: ask.fileIds } };

    const history = await loadHistory(deps, ask);
    if (history.length) {
      query = await deps.llm.rewriteQuery({ question: ask.question, history, language, signal });
    }
    const limit = ask.maxSources ?? DEFAULT_SOURCES;
    const input = {
      userId: ask.userId,
      query,
      mode: ask.searchType,
      alpha: ask.alpha,
      fileIds: ask.fileIds,
      limit,
      signal,
    };
    const parts = query === ask.question ? searchParts(query, language) : [query];
    const hits = await retrieveParts(deps, input, parts);
    sources = hits.slice(0, limit).map(toSource);
    yield {
      event: 'sources',
      data: { ...ids, sources, filtered_file_id: ask.fileIds, filtered_sources: [] },
    };

    const llmSources = sources.map(toLlmSource);
    const pieces = deps.llm.streamAnswer({
      question: ask.question,
      query,
      sources: llmSources,
      history,
      language,
      signal,
    });
    for await (const content of pieces) {
      answer += content;
      yield { event: 'content', data: { content } };
    }
    if (signal?.aborted) return; // finally saves it as interrupted

    const related = await relatedQuestions(deps.llm, {
      question: ask.question,
      answer,
      sources: llmSources,
      language,
      signal,
    });
    await titled;
    const processing_time = seconds(ask.startedAt);
    await save('complete', { related_questions: related, processing_time });
    yield { event: 'end', data: { ...ids, processing_time, related_questions: related } };
  } catch (err) {
    if (signal?.aborted) return;
    const app = findAppError(err);
    if (!app || app.httpStatus >= 500)
      deps.log.error({ err, questionId: ask.questionId }, 'answer failed');
    await save('failed', { processing_time: seconds(ask.startedAt) });
    yield {
      event: 'error',
      data: { ...ids, error: true, message: app?.message ?? MSG_ASK_FAILED },
    };
  } finally {
    // Reached without saving only when the consumer stopped early or the signal fired: the client left.
    if (!saved) await save('interrupted', { processing_time: seconds(ask.startedAt) });
  }
}

/** Validates and records the question (throws 400 / 404 before any event), then returns the stream. */
export async function askQuestion(
  deps: AskDeps,
  input: { userId: string; ask: AskInput; signal?: AbortSignal },
): Promise<AsyncGenerator<AskEvent>> {
  const prepared = await prepareAsk(deps, input.userId, input.ask);
  return streamAnswer(deps, prepared, input.signal);
}
