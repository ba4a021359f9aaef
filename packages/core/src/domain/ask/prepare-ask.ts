import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import type { LlmTurn } from '../../ports/llm';
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

/** The messages before the question, as history for rewriting and answering. */
export async function loadHistory(
  deps: Pick<Deps, 'messages'>,
  ask: PreparedAsk,
): Promise<LlmTurn[]> {
  const rows = await deps.messages.list(ask.userId, ask.conversationId, {
    limit: HISTORY_MESSAGES,
    beforeSequence: ask.questionSequence,
  });
  return rows
    .filter((r) => r.content.trim())
    .map((r) => ({ role: r.role === 'assistant' ? 'assistant' : 'user', content: r.content }));
}

/**
 * Validates an ask and records the question: files and conversation must be the caller's (400 / 404
 * otherwise), the question is saved as the next user message and the conversation becomes current.
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
  const requested = input.conversation_id ?? null;
  const target = await deps.askTargets.resolve({
    userId,
    fileIds: requestedFiles,
    conversationId: requested,
  });
  // Someone else's file or conversation looks exactly like a missing one.
  const missing = requestedFiles.filter((id) => !target.owned.has(id));
  if (missing.length) {
    throw new AppError('NOT_FOUND', `Không tìm thấy tài liệu với file_id: ${missing.join(', ')}`);
  }
  if (requested && !target.conversationId) throw conversationNotFound(requested);
  const fileIds = categories.length
    ? await narrowToCategories(deps, userId, requestedFiles, categories, (m) =>
        noFileError(deps, userId, m),
      )
    : requestedFiles;
  const conversation = target.conversationId
    ? { id: target.conversationId }
    : await deps.conversations.create({ id: newConversationId(), userId, now: deps.clock.now() });
  const questionId = newQuestionId();
  const now = deps.clock.now();
  const metadata: AnswerMetadata = {
    question_id: questionId,
    search_type: input.search_type,
    file_id: fileIds,
  };
  const saved = await deps.messages.append({
    userId,
    conversationId: conversation.id,
    role: 'user',
    content: input.question,
    metadata,
    now,
    makeCurrent: true,
    titleIfFirst: titleFromQuestion(input.question),
  });
  if (!saved) throw conversationNotFound(conversation.id);

  return {
    userId,
    questionId,
    conversationId: conversation.id,
    question: input.question,
    searchType: input.search_type,
    alpha: input.alpha,
    fileIds,
    maxSources: input.max_sources ?? null,
    questionSequence: saved.sequence,
    startedAt,
  };
}
