import { Piscina } from 'piscina';

import type { Dialect } from '../../domain/sql-analysis/dialect';
import { reviewStatement, type StatementReview } from '../../domain/sql-analysis/review-statement';
import type { SqlReviewer } from '../../ports/sql-reviewer';
import { ingestWorkerFile } from './worker-file';

export type SqlReviewTask = { op: 'sql-review'; sql: string; dialects: Dialect[] };

export type SqlReviewPoolOptions = {
  /** 0 reviews on the calling thread (as `INGEST_WORKERS=0` parses there). */
  size: number;
  /** A review still running after this is stopped (its thread with it) and refused as too slow. */
  timeoutMs: number;
};

/**
 * The SQL review off the request thread: node-sql-parser is a generated parser that takes seconds on
 * some statements within the input limit (2000 `NOT IN (SELECT …)` terms: ≈ 9 s), and on the event
 * loop that stalled every request of the gateway. One thread of its own, so an abandoned review
 * (timeout: Piscina ends the thread) never takes an upload's parse with it; it ends when idle.
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
  return {
    async review(sql, dialects) {
      const task: SqlReviewTask = { op: 'sql-review', sql, dialects };
      try {
        return (await pool.run(task, {
          signal: AbortSignal.timeout(opts.timeoutMs),
        })) as StatementReview;
      } catch (e) {
        const name = (e as { name?: string; code?: string } | null)?.name;
        const code = (e as { code?: string } | null)?.code;
        // Too long, or too big for the thread's heap: the statement's fault, not the server's.
        const dialect = dialects[0]?.label ?? 'SQL';
        if (name === 'AbortError')
          return { kind: 'too-slow', dialect, seconds: opts.timeoutMs / 1000 };
        if (code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'too-complex', dialect };
        throw e;
      }
    },
    close: () => pool.destroy(),
  };
}
