import type { Deps } from '../../ports/deps';
import { AppError, findAppError } from '../../errors';
import { improveTitleWithModel, type AnswerMetadata, type Source } from '../conversations';
import { detectLanguage } from './language';
import { loadHistory, prepareAsk, type PreparedAsk } from './prepare-ask';
import { relatedQuestions } from './related';
import { searchParts } from '../answering';
import { DEFAULT_SOURCES, retrieveParts, toLlmSource, toSource } from './retrieve';
import type { AskEvent, AskInput } from './schemas';

export type AskDeps = Pick<
  Deps,
  | 'files'
  | 'askTargets'
  | 'conversations'
  | 'messages'
  | 'clock'
  | 'log'
  | 'llm'
  | 'embedder'
  | 'vectorIndex'
  | 'askSlots'
>;

export const MSG_ASK_FAILED = 'Lỗi khi xử lý câu hỏi, vui lòng thử lại.';
export const MSG_TOO_MANY_ASKS =
  'Bạn đang có quá nhiều câu hỏi chưa được trả lời xong. Vui lòng đợi rồi thử lại.';

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

type Ids = { question_id: string; conversation_id: string };
type Language = ReturnType<typeof detectLanguage>;
type Status = NonNullable<AnswerMetadata['status']>;

/** What the stream has produced so far: saved once, whichever way it ends. */
type AnswerDraft = { answer: string; sources: Source[]; query: string; saved: boolean };

/** Stores the assistant message with the draft as it is (at most once per answer). */
async function saveAnswer(
  deps: AskDeps,
  ask: PreparedAsk,
  draft: AnswerDraft,
  status: Status,
  extra: Partial<AnswerMetadata> = {},
): Promise<void> {
  if (draft.saved) return;
  draft.saved = true;
  const metadata: AnswerMetadata = {
    question_id: ask.questionId,
    search_type: ask.searchType,
    alpha: ask.alpha,
    file_id: ask.fileIds,
    max_sources: ask.maxSources,
    ...(draft.query !== ask.question ? { query: draft.query } : {}),
    sources: draft.sources,
    status,
    ...extra,
  };
  await deps.messages.append({
    userId: ask.userId,
    conversationId: ask.conversationId,
    role: 'assistant',
    content: draft.answer,
    metadata,
    now: deps.clock.now(),
    answers: { questionId: ask.questionId, questionSequence: ask.questionSequence },
  });
}

/** The first question's title is improved alongside the answer (and stored before `end`). */
function improveFirstTitle(
  deps: AskDeps,
  ask: PreparedAsk,
  language: Language,
  signal?: AbortSignal,
): Promise<void> {
  if (ask.questionSequence !== 1) return Promise.resolve();
  const { userId, conversationId, question } = ask;
  return improveTitleWithModel(deps, { userId, conversationId, question, language }, signal);
}

/** The history, the (rewritten) search query and the hits for it; the query lands in the draft. */
async function findSources(
  deps: AskDeps,
  ask: PreparedAsk,
  draft: AnswerDraft,
  language: Language,
  signal?: AbortSignal,
) {
  // Usually saved with the question already (PGlite runs statements one at a time, so under many
  // streams every statement queues).
  const history = await loadHistory(deps, ask);
  // Resolved once: the search uses the query, the answer is given both.
  const rewritten = history.length
    ? await deps.llm.rewriteQuery({ question: ask.question, history, language, signal })
    : null;
  if (rewritten) draft.query = rewritten.query;
  const { query } = draft;
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
  draft.sources = hits.slice(0, limit).map(toSource);
  const standalone =
    rewritten && rewritten.question !== ask.question ? rewritten.question : undefined;
  return { history, query, standalone };
}

/** Logs a failure the user did not cause, saves the draft as failed and gives the `error` event. */
async function failedAnswer(
  deps: AskDeps,
  ask: PreparedAsk,
  draft: AnswerDraft,
  ids: Ids,
  err: unknown,
): Promise<AskEvent> {
  const app = findAppError(err);
  if (!app || app.httpStatus >= 500)
    deps.log.error({ err, questionId: ask.questionId }, 'answer failed');
  await saveAnswer(deps, ask, draft, 'failed', { processing_time: seconds(ask.startedAt) });
  return { event: 'error', data: { ...ids, error: true, message: app?.message ?? MSG_ASK_FAILED } };
}

/** One `content` event per piece of the answer, which grows the draft. */
async function* streamContent(
  pieces: AsyncIterable<string>,
  draft: AnswerDraft,
): AsyncGenerator<AskEvent> {
  for await (const content of pieces) {
    draft.answer += content;
    yield { event: 'content', data: { content } };
  }
}

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
  const ids: Ids = { question_id: ask.questionId, conversation_id: ask.conversationId };
  const language = detectLanguage(ask.question);
  const draft: AnswerDraft = { answer: '', sources: [], query: ask.question, saved: false };
  const titled = improveFirstTitle(deps, ask, language, signal);
  try {
    yield { event: 'start', data: { ...ids, search_type: ask.searchType, file_id: ask.fileIds } };
    const { history, query, standalone } = await findSources(deps, ask, draft, language, signal);
    const { sources } = draft;
    yield {
      event: 'sources',
      data: { ...ids, sources, filtered_file_id: ask.fileIds, filtered_sources: [] },
    };
    const llmSources = sources.map(toLlmSource);
    const question = ask.question;
    const request = {
      question,
      query,
      ...(standalone ? { standalone } : {}),
      sources: llmSources,
      history,
      language,
      signal,
    };
    yield* streamContent(deps.llm.streamAnswer(request), draft);
    if (signal?.aborted) return; // finally saves it as interrupted
    const answer = draft.answer;
    const related = await relatedQuestions(deps.llm, {
      question,
      answer,
      sources: llmSources,
      language,
      signal,
    });
    await titled;
    const processing_time = seconds(ask.startedAt);
    await saveAnswer(deps, ask, draft, 'complete', { related_questions: related, processing_time });
    yield { event: 'end', data: { ...ids, processing_time, related_questions: related } };
  } catch (err) {
    if (signal?.aborted) return;
    yield await failedAnswer(deps, ask, draft, ids, err);
  } finally {
    // Reached without saving only when the consumer stopped early or the signal fired: the client left.
    await saveAnswer(deps, ask, draft, 'interrupted', { processing_time: seconds(ask.startedAt) });
  }
}

/**
 * The stream, safe to close before its first event. A generator closed before it started never runs
 * its body, so its `finally` (which saves the answer as interrupted) was skipped and the recorded
 * question kept no answer: a tRPC subscription whose client left at once did that. A client that
 * leaves while the question is being recorded may never have the stream closed at all (tRPC cancels
 * its own producer instead), so the request's abort settles an unstarted stream too.
 */
function closableBeforeStart(
  stream: AsyncGenerator<AskEvent>,
  saveUnstarted: () => Promise<void>,
  signal?: AbortSignal,
): AsyncGenerator<AskEvent> {
  let started = false;
  const settle = async () => {
    if (started) return;
    started = true;
    await saveUnstarted();
  };
  // Closing the unstarted stream too: a later `next` then ends at once instead of answering.
  const onAbort = () => {
    if (started) return;
    void settle()
      .then(() => stream.return(undefined))
      .catch(() => undefined);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const closable: AsyncGenerator<AskEvent> = {
    next: (...value) => {
      started = true;
      return stream.next(...value);
    },
    return: async (value) => {
      await settle();
      return stream.return(value);
    },
    throw: async (e: unknown) => {
      await settle();
      return stream.throw(e);
    },
    [Symbol.asyncIterator]: () => closable,
  };
  return closable;
}

/** The stream, calling `release` once it has ended, however it ended. */
async function* releasing(
  stream: AsyncGenerator<AskEvent>,
  release: () => void,
): AsyncGenerator<AskEvent> {
  try {
    yield* stream;
  } finally {
    release();
  }
}

/**
 * Takes one of the user's answer slots (429 when all are taken: nothing is recorded), validates and
 * records the question (throws 400 / 404 before any event), then returns the stream, which gives the
 * slot back when it ends or is closed, before its first event too.
 */
export async function askQuestion(
  deps: AskDeps,
  input: { userId: string; ask: AskInput; signal?: AbortSignal },
): Promise<AsyncGenerator<AskEvent>> {
  const release = deps.askSlots.take(input.userId);
  if (!release) throw new AppError('RATE_LIMITED', MSG_TOO_MANY_ASKS);
  let prepared: PreparedAsk;
  try {
    prepared = await prepareAsk(deps, input.userId, input.ask);
  } catch (e) {
    release();
    throw e;
  }
  const unstarted = { answer: '', sources: [], query: prepared.question, saved: false };
  return closableBeforeStart(
    releasing(streamAnswer(deps, prepared, input.signal), release),
    () =>
      saveAnswer(deps, prepared, unstarted, 'interrupted', {
        processing_time: seconds(prepared.startedAt),
      }).finally(release),
    input.signal,
  );
}
