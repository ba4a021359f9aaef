import type { CheckSyncResult, SyncResult } from './schemas';
import { syncPending, type EmailSyncDeps, type SyncScope } from './sync-pending';

/** The original service's messages, kept byte for byte. */
export const SYNC_MESSAGES = {
  syncEmailToUserChat: 'Sync completed successfully',
  checkAndSyncEmail: 'Checked and synced recent chat history',
  syncAllPending: 'Synced all pending chat history records',
  syncRange: 'Synced new chat history records',
} as const;

/** `check-and-sync-email` looks at the rows of the last 24 hours (UTC instants, no local-time shift). */
export const RECENT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Runs one sync and reports its counts the way the contract's sync answers name them. */
async function syncAndReport(
  deps: EmailSyncDeps,
  message: string,
  scope: SyncScope = {},
): Promise<SyncResult> {
  const counts = await syncPending(deps, scope);
  return {
    message,
    synced_records: counts.synced,
    skipped_records: counts.skipped,
    total_processed: counts.total,
  };
}

/** `POST /chat-history/sync-email-to-user-chat`: every pending row, no time limit. */
export function syncEmailToUserChat(deps: EmailSyncDeps): Promise<SyncResult> {
  return syncAndReport(deps, SYNC_MESSAGES.syncEmailToUserChat);
}

/** `POST /chat-history/sync-all-pending`: every pending row (what the sync service sweeps). */
export function syncAllPending(deps: EmailSyncDeps): Promise<SyncResult> {
  return syncAndReport(deps, SYNC_MESSAGES.syncAllPending);
}

/** `POST /chat-history/check-and-sync-email`: pending rows created in the last 24 hours. */
export async function checkAndSyncEmail(deps: EmailSyncDeps): Promise<CheckSyncResult> {
  const since = new Date(deps.clock.now().getTime() - RECENT_WINDOW_MS);
  const { total_processed, ...rest } = await syncAndReport(deps, SYNC_MESSAGES.checkAndSyncEmail, {
    since,
  });
  return { ...rest, total_checked: total_processed };
}

/** The pending rows of a log-id range: what the sync service runs when new rows are announced. */
export function syncRange(
  deps: EmailSyncDeps,
  range: { from_log_id: number; to_log_id: number },
): Promise<SyncResult> {
  return syncAndReport(deps, SYNC_MESSAGES.syncRange, {
    fromLogId: range.from_log_id,
    toLogId: range.to_log_id,
  });
}
