import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import type {
  ConversationDetail,
  ConversationList,
  CreateConversationResponse,
  DeleteConversationResponse,
  GetConversationInput,
  LatestConversation,
  LatestConversationQuery,
  ListConversationsQuery,
  RenameConversationResponse,
} from './schemas';
import { MAX_MESSAGES_RETURNED } from './schemas';
import { newConversationId } from './ids';
import { cleanTitle } from './titles';
import { toMessage, toSummary } from './views';

type ConversationDeps = Pick<Deps, 'conversations' | 'messages' | 'clock'>;

export const conversationNotFound = (id: string) =>
  new AppError('NOT_FOUND', `Không tìm thấy hội thoại với ID ${id}`);

/** The caller's conversations, one page at a time; reads only. */
export async function listConversations(
  deps: ConversationDeps,
  userId: string,
  { page, page_size }: ListConversationsQuery,
): Promise<ConversationList> {
  const { rows, total } = await deps.conversations.page(userId, {
    offset: (page - 1) * page_size,
    limit: page_size,
  });
  return {
    status: 'success',
    message: total === 0 ? 'Không có hội thoại nào' : `Đã tìm thấy ${total} hội thoại`,
    data: rows.map(toSummary),
    pagination: { page, page_size, total_items: total, total_pages: Math.ceil(total / page_size) },
  };
}

/**
 * One of the caller's conversations with a page of its messages (the newest `limit`, before the
 * sequence `before` when given); opening it makes it the current one.
 */
export async function getConversation(
  deps: ConversationDeps,
  userId: string,
  { conversation_id: id, limit, before }: GetConversationInput,
): Promise<ConversationDetail> {
  const conversation = await deps.conversations.find(userId, id);
  if (!conversation) throw conversationNotFound(id);
  const [rows] = await Promise.all([
    deps.messages.list(userId, id, { limit, beforeSequence: before }),
    deps.conversations.setCurrent(userId, id, deps.clock.now()),
  ]);
  return {
    status: 'success',
    message: rows.length
      ? `Đã tìm thấy chi tiết hội thoại cho phiên ${id}`
      : `Không tìm thấy tin nhắn cho hội thoại ${id}`,
    conversation_id: id,
    data: {
      conversation_id: id,
      user_id: conversation.userId,
      title: conversation.title,
      created_at: conversation.createdAt.toISOString(),
      last_updated: conversation.lastUpdated.toISOString(),
      messages: rows.map(toMessage),
    },
  };
}

export async function startConversation(
  deps: ConversationDeps,
  userId: string,
): Promise<CreateConversationResponse> {
  const now = deps.clock.now();
  const row = await deps.conversations.create({ id: newConversationId(), userId, now });
  await deps.conversations.setCurrent(userId, row.id, now);
  return { status: 'success', message: 'Đã tạo hội thoại mới thành công', conversation_id: row.id };
}

export async function removeConversation(
  deps: ConversationDeps,
  userId: string,
  id: string,
): Promise<DeleteConversationResponse> {
  // The user's "current conversation" pointer may still name it; readers check existence, so it is harmless.
  if (!(await deps.conversations.remove(userId, id))) {
    throw new AppError('NOT_FOUND', `Không tìm thấy hội thoại ${id} hoặc bạn không có quyền xóa`);
  }
  return { status: 'success', message: `Đã xóa hội thoại ${id}`, conversation_id: id };
}

/** Renames one of the caller's conversations (not counted as activity: last_updated stays). */
export async function retitleConversation(
  deps: ConversationDeps,
  userId: string,
  id: string,
  title: string,
): Promise<RenameConversationResponse> {
  title = cleanTitle(title); // one line: tabs and newlines become spaces
  if (!(await deps.conversations.rename(userId, id, title))) {
    throw new AppError(
      'NOT_FOUND',
      `Không tìm thấy hội thoại ${id} hoặc bạn không có quyền đổi tên`,
    );
  }
  return { status: 'success', message: `Đã đổi tên hội thoại ${id}`, conversation_id: id, title };
}

/** The caller's most recently active conversation that has messages, with its newest `limit`. */
export async function latestConversation(
  deps: ConversationDeps,
  userId: string,
  { limit }: LatestConversationQuery = { limit: MAX_MESSAGES_RETURNED },
): Promise<LatestConversation> {
  const latest = await deps.conversations.latestWithMessages(userId);
  if (!latest) return { conversation_info: {}, messages: [], found: false };
  const rows = await deps.messages.list(userId, latest.id, { limit });
  return { conversation_info: toSummary(latest), messages: rows.map(toMessage), found: true };
}
