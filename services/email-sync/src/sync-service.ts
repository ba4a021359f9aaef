import type { InsertedRange, SyncResult } from '@rag/core';

import { backoffDelay, DEFAULT_BACKOFF, deferred, sleep, type BackoffOptions } from './backoff';
import type { SyncLog } from './log';
import type { SyncBackend } from './sync-backend';

export type SyncServiceOptions = {
  backend: SyncBackend;
  log: SyncLog;
  /** Sweep of every pending row (SYNC_INTERVAL_S). */
  intervalMs: number;
  backoff?: BackoffOptions;
};

export type SyncService = {
  /** Totals since start (for logs and tests). */
  readonly stats: { runs: number; synced: number; failures: number };
  /** Stops listening and sweeping, lets a running sync finish, closes the backend. */
  stop(): Promise<void>;
};

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The standalone sync loop. Two cooperating tasks:
 * - the watcher keeps one notification stream open (reconnecting with back-off when it drops) and
 *   asks for a sweep each time it is (re)established, so nothing committed meanwhile is missed;
 * - the worker runs one sync at a time: a sweep when asked (start, reconnect, every interval), else
 *   the merged range of newly announced rows. A failed sync is retried as a sweep after back-off.
 * Nothing polls: between events the tasks sleep on promises.
 */
export function startSyncService(opts: SyncServiceOptions): SyncService {
  const { backend, log } = opts;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const stopping = new AbortController();
  const stats = { runs: 0, synced: 0, failures: 0 };
  // Written by event callbacks and read by the worker; boxed so TypeScript does not narrow it.
  const queue: { sweep: boolean; range: InsertedRange | null } = { sweep: true, range: null };
  let wakeWorker: (() => void) | null = null;
  // Aborted when the new-row stream comes back: the gateway/database is up again, retry at once.
  let cutBackoff: AbortController | null = null;
  const wake = () => {
    wakeWorker?.();
    wakeWorker = null;
  };
  stopping.signal.addEventListener('abort', wake);

  const requestSweep = () => {
    queue.sweep = true;
    wake();
  };
  const requestRange = (r: InsertedRange) => {
    const prev = queue.range;
    queue.range = prev
      ? {
          from_log_id: Math.min(prev.from_log_id, r.from_log_id),
          to_log_id: Math.max(prev.to_log_id, r.to_log_id),
        }
      : r;
    wake();
  };

  const report = (kind: string, result: SyncResult) => {
    stats.runs++;
    stats.synced += result.synced_records;
    if (result.synced_records > 0 || stats.runs === 1) {
      log.info(
        `${kind}: ${result.synced_records} synced, ${result.skipped_records} skipped, ` +
          `${result.total_processed} processed`,
      );
    }
  };

  const worker = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const next = queue.range;
      if (!queue.sweep && !next) {
        await new Promise<void>((resolve) => {
          wakeWorker = resolve;
        });
        continue;
      }
      try {
        if (queue.sweep) {
          // A sweep covers every pending row, announced ranges included.
          queue.sweep = false;
          queue.range = null;
          report('Sweep', await backend.sweep());
        } else if (next) {
          queue.range = null;
          report(`New rows ${next.from_log_id}-${next.to_log_id}`, await backend.syncRange(next));
        }
        failures = 0;
      } catch (err) {
        failures++;
        stats.failures++;
        queue.sweep = true;
        const delay = backoffDelay(failures, backoff);
        log.error(`Sync failed (${describe(err)}); retrying in ${(delay / 1000).toFixed(1)} s`);
        cutBackoff = new AbortController();
        await sleep(delay, AbortSignal.any([stopping.signal, cutBackoff.signal]));
        cutBackoff = null;
      }
    }
  })();

  const aborted = new Promise<null>((resolve) =>
    stopping.signal.addEventListener('abort', () => resolve(null)),
  );
  const watcher = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const lost = deferred<unknown>();
      let stopWatching: (() => Promise<void>) | undefined;
      try {
        stopWatching = await backend.watch({
          onReady: () => {
            failures = 0;
            log.info(`Listening for new chat_history rows via ${backend.name}`);
            cutBackoff?.abort();
            requestSweep();
          },
          onInsert: requestRange,
          onError: (err) => lost.resolve(err),
        });
      } catch (err) {
        lost.resolve(err);
      }
      const err = await Promise.race([lost.promise, aborted]);
      await stopWatching?.().catch(() => undefined);
      if (stopping.signal.aborted) break;
      failures++;
      stats.failures++;
      const delay = backoffDelay(failures, backoff);
      log.warn(
        `Lost the new-row stream (${describe(err)}); reconnecting in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, stopping.signal);
    }
  })();

  const timer = setInterval(requestSweep, opts.intervalMs);

  return {
    stats,
    async stop() {
      if (stopping.signal.aborted) return;
      clearInterval(timer);
      stopping.abort();
      await Promise.all([worker, watcher]);
      await backend.close();
    },
  };
}
