import { TRPCClientError, type RagClient } from '@rag/client';

import type { SyncLog } from './log';

/** The documented messages of the original cron script. */
export const CRON_MESSAGES = {
  backendDown: '❌ Backend không hoạt động!',
  done: (synced: number, skipped: number, total: number) =>
    `✅ Sync hoàn thành: ${synced} synced, ${skipped} skipped, ${total} checked`,
  failed: (status: number | string, body: string) => `❌ Sync thất bại: ${status} - ${body}`,
  crashed: (err: string) => `❌ Lỗi khi sync: ${err}`,
};

function httpStatusOf(err: TRPCClientError<never>): number | undefined {
  const data = err.data as { httpStatus?: number } | undefined;
  return data?.httpStatus;
}

/**
 * One cron run: health check (`chatHistory.ping`: database and auth provider reachable, access
 * granted), then `check-and-sync-email`. Returns the exit status: 0 on success, 1 otherwise.
 */
export async function runCronJob(opts: { client: RagClient; log: SyncLog }): Promise<0 | 1> {
  const { client, log } = opts;
  try {
    await client.chatHistory.ping.query();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    log.error(`${CRON_MESSAGES.backendDown} (${reason})`);
    return 1;
  }
  try {
    const r = await client.chatHistory.checkAndSyncEmail.mutate();
    log.info(CRON_MESSAGES.done(r.synced_records, r.skipped_records, r.total_checked));
    return 0;
  } catch (err) {
    if (err instanceof TRPCClientError) {
      const status = httpStatusOf(err as TRPCClientError<never>);
      if (status !== undefined) {
        log.error(CRON_MESSAGES.failed(status, JSON.stringify({ detail: err.message })));
        return 1;
      }
    }
    log.error(CRON_MESSAGES.crashed(err instanceof Error ? err.message : String(err)));
    return 1;
  }
}
