import type { Deps } from '../../ports/deps';
import { JOB_MESSAGES, STAGE_NAMES, jobEvent } from '../files';
import type { IndexingStatusResponse } from './schemas';

/**
 * The caller's ingestion at a glance: `running` while any of their jobs is queued or running, else the
 * outcome of the last one to end (`completed` / `error`), `idle` before any upload. `processed_files`
 * counts their jobs that ended indexed (failed ones are `failed_files`).
 */
export async function indexingStatus(
  deps: Pick<Deps, 'jobs'>,
  userId: string,
): Promise<IndexingStatusResponse> {
  const s = await deps.jobs.summary(userId);
  const last = s.lastFinished;
  const lastError =
    last?.status === 'failed'
      ? { filename: last.filename, message: last.reason ?? JOB_MESSAGES.failedGeneric }
      : null;
  const base = {
    processed_files: s.done,
    failed_files: s.failed,
    pending_files: s.queued,
    running_files: s.running,
    current_file: null,
    last_error: lastError,
  };
  if (s.current) {
    const e = jobEvent(s.current);
    return {
      ...base,
      status: 'running',
      message: JOB_MESSAGES.running(
        s.current.filename,
        STAGE_NAMES[s.current.stage] ?? s.current.stage,
        s.queued + s.running - 1,
      ),
      current_file: {
        file_id: s.current.fileId,
        job_id: s.current.id,
        filename: s.current.filename,
        stage: s.current.stage,
        done: e.done,
        total: e.total,
      },
    };
  }
  if (!last) return { ...base, status: 'idle', message: JOB_MESSAGES.idle };
  if (lastError)
    return {
      ...base,
      status: 'error',
      message: JOB_MESSAGES.error(lastError.filename, lastError.message),
    };
  return { ...base, status: 'completed', message: JOB_MESSAGES.completed(s.done, last.filename) };
}
