import type { Deps } from '../../ports/deps';
import { failExhausted } from './job-runner';

/**
 * Start-up recovery of jobs a crash interrupted. On the embedded database this process is the only
 * worker, so every `running` job is orphaned; on a shared Postgres only jobs whose lease expired are
 * (other gateways may be working). Orphans are requeued while attempts remain, else failed and cleaned.
 */
export async function recoverJobs(
  deps: Pick<
    Deps,
    | 'files'
    | 'env'
    | 'log'
    | 'blobs'
    | 'embedder'
    | 'vectorIndex'
    | 'clock'
    | 'jobs'
    | 'chunks'
    | 'progress'
    | 'database'
  >,
) {
  const { requeued, exhausted } = await deps.jobs.recoverAbandoned({
    all: deps.database.kind === 'pglite',
    maxAttempts: deps.env.JOB_MAX_ATTEMPTS,
  });
  await failExhausted(deps, exhausted);
  if (requeued.length || exhausted.length)
    deps.log.warn(
      { requeued: requeued.length, failed: exhausted.length },
      'recovered ingestion jobs interrupted by a restart',
    );
  return { requeued: requeued.length, failed: exhausted.length };
}
