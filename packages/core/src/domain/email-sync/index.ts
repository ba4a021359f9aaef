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
export { listUserChats, listUserChatsByEmail, listUserChatsByUser } from './list-user-chats';
export { watchInsertedRows } from './watch-inserted-rows';
export type { InsertedRange, InsertListener } from '../../ports/email-sync-store';
