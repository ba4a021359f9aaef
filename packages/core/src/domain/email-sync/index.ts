export * from './schemas';
export { createChatHistory } from './create-chat-history';
export {
  syncPending,
  SYNC_BATCH_EMAILS,
  type EmailSyncDeps,
  type SyncCounts,
  type SyncScope,
} from './sync-pending';
export {
  checkAndSyncEmail,
  RECENT_WINDOW_MS,
  SYNC_MESSAGES,
  syncAllPending,
  syncEmailToUserChat,
  syncRange,
} from './sync-endpoints';
export { listUserChats, listUserChatsByEmail, listUserChatsByUser } from './user-chat-queries';
export {
  CHAT_HISTORY_CHANNEL,
  listenForInserts,
  watchInsertedRows,
  type InsertedRange,
  type InsertListener,
} from './watch-inserts';
