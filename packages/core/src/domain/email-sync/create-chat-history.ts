import type { Logger } from 'pino';

import type { ChatHistoryRecord } from '../../ports/email-sync-store';
import type { ChatHistoryRow, CreateChatHistoryInput } from './schemas';
import { syncPending, type EmailSyncDeps } from './sync-pending';

function toRow(r: ChatHistoryRecord): ChatHistoryRow {
  return {
    log_id: r.logId,
    name_app: r.nameApp,
    app_id: r.appId,
    input_text: r.inputText,
    output_text: r.outputText,
    conversation_id: r.conversationId,
    email: r.email,
    user_id: r.userId,
    created_at: r.createdAt.toISOString(),
  };
}

/**
 * Stores a chat log, then syncs that row at once (the e-mail comes from `email` or the JSON
 * `input_text`, see migration 0001). A failed sync never loses the row: it stays pending for the
 * sync service and the sync endpoints.
 */
export async function createChatHistory(
  deps: EmailSyncDeps & { log: Pick<Logger, 'error'> },
  input: CreateChatHistoryInput,
): Promise<ChatHistoryRow> {
  const stored = await deps.emailSync.addChatHistory({
    nameApp: input.name_app,
    appId: input.app_id ?? null,
    inputText: input.input_text,
    outputText: input.output_text,
    conversationId: input.conversation_id,
    email: input.email ?? null,
  });
  try {
    const counts = await syncPending(deps, { fromLogId: stored.logId, toLogId: stored.logId });
    if (counts.synced === 0) return toRow(stored);
  } catch (err) {
    deps.log.error(
      { err, logId: stored.logId },
      'chat_history auto-sync failed; the row stays pending',
    );
    return toRow(stored);
  }
  const synced = await deps.emailSync.chatHistory(stored.logId);
  return toRow(synced ?? stored);
}
