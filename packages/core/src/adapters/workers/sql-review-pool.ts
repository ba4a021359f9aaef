import { MessageChannel, type MessagePort } from 'node:worker_threads';

import { Piscina } from 'piscina';

import type { Dialect } from '../../domain/sql-analysis/dialect';
import { reviewStatement, type StatementReview } from '../../domain/sql-analysis/review-statement';
import type { SqlReviewer } from '../../ports/sql-reviewer';
import { createSlots } from '../../lib/slots';
import { ingestWorkerFile } from './worker-file';

/** `started` hears from the thread once the review begins (a fresh thread first loads its modules). */
export type SqlReviewTask = {
  op: 'sql-review';
  sql: string;
  dialects: Dialect[];
  started?: MessagePort;
};

/** How long a thread may take to start before its review is given up as well (a loaded machine). */
const START_ALLOWANCE_MS = 60_000;

export type SqlReviewPoolOptions = {
  /** 0 reviews on the calling thread (as `INGEST_WORKERS=0` parses there), with no time limit. */
  size: number;
  /**
   * A review still running this long after its thread began it is stopped (its thread with it) and
   * refused as too slow. The wait for a free thread does not count, nor a fresh thread's start.
   */
  timeoutMs: number;
  /** Reviews that may wait for a thread; one more is refused as busy (503). */
  maxWaiting?: number;
  /** A thread's failure outside any review (Piscina's `error` event). */
  onError?: (err: unknown) => void;
};

/**
 * The SQL review off the request thread: node-sql-parser is a generated parser that takes seconds on
 * some statements within the input limit (2000 `NOT IN (SELECT …)` terms: ≈ 9 s), and on the event
 * loop that stalled every request of the gateway. Threads of its own, so an abandoned review (timeout:
 * Piscina ends the thread) never takes an upload's parse with it; they end when idle.
 */
export function createSqlReviewPool(opts: SqlReviewPoolOptions): SqlReviewer {
  if (opts.size <= 0)
    return {
      review: (sql, dialects) => Promise.resolve(reviewStatement(sql, dialects)),
      close: () => Promise.resolve(),
    };
  const pool = new Piscina({
    filename: ingestWorkerFile(),
    minThreads: 0,
    maxThreads: opts.size,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  pool.on('error', (err: unknown) => opts.onError?.(err));
  const slots = createSlots(opts.size, opts.maxWaiting ?? 8);
  return {
    async review(sql, dialects) {
      if (!(await slots.take())) return { kind: 'busy' };
      // The clock starts when the thread begins the review: a review never times out for another's,
      // nor while a fresh thread (after one that was stopped) loads its modules.
      const stop = new AbortController();
      const { port1, port2 } = new MessageChannel();
      let timer = setTimeout(() => stop.abort(), opts.timeoutMs + START_ALLOWANCE_MS);
      port1.once('message', () => {
        clearTimeout(timer);
        timer = setTimeout(() => stop.abort(), opts.timeoutMs);
      });
      const task: SqlReviewTask = { op: 'sql-review', sql, dialects, started: port2 };
      try {
        return (await pool.run(task, {
          signal: stop.signal,
          transferList: [port2],
        })) as StatementReview;
      } catch (e) {
        // Too long, or too big for the thread's heap: the statement's fault, not the server's.
        const dialect = dialects[0]?.label ?? 'SQL';
        if (stop.signal.aborted)
          return { kind: 'too-slow', dialect, seconds: opts.timeoutMs / 1000 };
        if ((e as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
          return { kind: 'too-complex', dialect };
        throw e;
      } finally {
        clearTimeout(timer);
        port1.close();
        slots.give();
      }
    },
    close: () => pool.destroy(),
  };
}
