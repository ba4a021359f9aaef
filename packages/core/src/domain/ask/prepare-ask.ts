import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import type { LlmTurn } from '../../ports/llm';
import type { AskTarget, TargetQuestion } from '../../ports/ask-target-lookup';
import type { AppendedMessage, MessageRole } from '../../ports/message-store';
import {
  conversationNotFound,
  newConversationId,
  newQuestionId,
  titleFromQuestion,
  type AnswerMetadata,
} from '../conversations';
import { askCategories, narrowToCategories } from '../categories';
import { normaliseFileIds } from './ask-target';
import type { AskInput, SearchType } from './schemas';

export const MSG_NO_FILE = 'Vui lòng chọn ít nhất một file_id để tìm kiếm.';
/** Earlier messages loaded as history; the prompt trims them further by a token budget. */
const HISTORY_MESSAGES = 20;

/** Everything the stream needs, checked before any byte of the response is sent. */
export type PreparedAsk = {
  userId: string;
  questionId: string;
  conversationId: string;
  question: string;
  searchType: SearchType;
  alpha: number;
  fileIds: string[];
  maxSources: number | null;
  /** The sequence of the saved question; the history is what came before it. */
  questionSequence: number;
  /** The history, when the store returned it with the saved question (else `loadHistory` reads it). */
  history?: LlmTurn[];
  /** `performance.now()` when the request arrived (for `processing_time`). */
  startedAt: number;
};

/** The documented 400, listing the files the caller could ask about. */
async function noFileError(
  deps: Pick<Deps, 'files'>,
  userId: string,
  message = MSG_NO_FILE,
): Promise<AppError> {
  const rows = await deps.files.listIndexed(userId);
  return new AppError('BAD_REQUEST', message, {
    details: {
      kind: 'no_file',
      availableFiles: rows.map((r) => ({ id: r.id, filename: r.filename })),
    },
  });
}

/** Earlier messages as history turns (empty ones carry nothing for the model). */
const toTurns = (rows: { role: MessageRole; content: string }[]): LlmTurn[] =>
  rows
    .filter((r) => r.content.trim())
    .map((r) => ({ role: r.role === 'assistant' ? 'assistant' : 'user', content: r.content }));

/** The messages before the question, as history for rewriting and answering. */
export async function loadHistory(
  deps: Pick<Deps, 'messages'>,
  ask: PreparedAsk,
): Promise<LlmTurn[]> {
  if (ask.history) return ask.history;
  // A conversation's first question has nothing before it.
  if (ask.questionSequence <= 1) return [];
  const rows = await deps.messages.list(ask.userId, ask.conversationId, {
    limit: HISTORY_MESSAGES,
    beforeSequence: ask.questionSequence,
  });
  return toTurns(rows);
}

/** The documented 404s: someone else's file or conversation looks exactly like a missing one. */
function checkTarget(target: AskTarget, requestedFiles: string[], requested: string | null) {
  const missing = requestedFiles.filter((id) => !target.owned.has(id));
  if (missing.length) {
    throw new AppError('NOT_FOUND', `Không tìm thấy tài liệu với file_id: ${missing.join(', ')}`);
  }
  if (requested && !target.conversationId) throw conversationNotFound(requested);
}

type Saved = { conversationId: string; saved: AppendedMessage };

/** Resolves, narrows to the categories, creates the conversation if needed, then saves: the long way. */
async function resolveThenSave(
  deps: Pick<Deps, 'files' | 'askTargets' | 'conversations' | 'messages' | 'clock'>,
  lookup: { userId: string; fileIds: string[]; conversationId: string | null },
  categories: string[],
  question: Omit<TargetQuestion, 'newConversationId' | 'now' | 'metadata'> & {
    metadata: (fileIds: string[]) => AnswerMetadata;
  },
): Promise<Saved & { fileIds: string[] }> {
  const { userId } = lookup;
  const target = await deps.askTargets.resolve(lookup);
  checkTarget(target, lookup.fileIds, lookup.conversationId);
  const fileIds = categories.length
    ? await narrowToCategories(deps, userId, lookup.fileIds, categories, (m) =>
        noFileError(deps, userId, m),
      )
    : lookup.fileIds;
  const conversation = target.conversationId
    ? { id: target.conversationId }
    : await deps.conversations.create({ id: newConversationId(), userId, now: deps.clock.now() });
  const saved = await deps.messages.append({
    userId,
    conversationId: conversation.id,
    role: 'user',
    content: question.content,
    metadata: question.metadata(fileIds),
    now: deps.clock.now(),
    makeCurrent: true,
    titleIfFirst: question.titleIfFirst,
    history: question.history,
  });
  if (!saved) throw conversationNotFound(conversation.id);
  return { conversationId: conversation.id, saved, fileIds };
}

/**
 * Validates an ask and records the question: files and conversation must be the caller's (400 / 404
 * otherwise), the question is saved as the next user message and the conversation becomes current.
 * Without categories to narrow to, checks and writes are one round trip when the lookup can do both
 * (on the embedded database every statement queues for its one backend).
 */
export async function prepareAsk(
  deps: Pick<Deps, 'files' | 'askTargets' | 'conversations' | 'messages' | 'clock'>,
  userId: string,
  input: AskInput,
): Promise<PreparedAsk> {
  const startedAt = performance.now();
  const requestedFiles = normaliseFileIds(input.file_id ?? []);
  const categories = askCategories(input.category);
  if (requestedFiles.length === 0 && categories.length === 0) throw await noFileError(deps, userId);
  const lookup = { userId, fileIds: requestedFiles, conversationId: input.conversation_id ?? null };
  const questionId = newQuestionId();
  const question = {
    content: input.question,
    metadata: (fileIds: string[]): AnswerMetadata => ({
      question_id: questionId,
      search_type: input.search_type,
      file_id: fileIds,
    }),
    titleIfFirst: titleFromQuestion(input.question),
    // Read with the insert: one round trip less.
    history: HISTORY_MESSAGES,
  };
  let asked: Saved & { fileIds: string[] };
  if (categories.length === 0 && deps.askTargets.resolveAndSave) {
    const target = await deps.askTargets.resolveAndSave({
      ...lookup,
      question: {
        ...question,
        newConversationId: newConversationId(),
        metadata: question.metadata(requestedFiles),
        now: deps.clock.now(),
      },
    });
    checkTarget(target, requestedFiles, lookup.conversationId);
    // Checked and not saved: the conversation was deleted meanwhile.
    if (!target.saved) throw conversationNotFound(target.conversationId ?? '');
    asked = {
      conversationId: target.conversationId ?? '',
      saved: target.saved,
      fileIds: requestedFiles,
    };
  } else asked = await resolveThenSave(deps, lookup, categories, question);
  const { saved } = asked;

  return {
    userId,
    questionId,
    conversationId: asked.conversationId,
    question: input.question,
    searchType: input.search_type,
    alpha: input.alpha,
    fileIds: asked.fileIds,
    maxSources: input.max_sources ?? null,
    questionSequence: saved.sequence,
    ...(saved.history ? { history: toTurns(saved.history) } : {}),
    startedAt,
  };
}
