import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import type { IngestJob } from '../../ports/job-store';
import { FINAL_STAGES, type IngestProgress } from '../../ports/progress-bus';
import { fileStatus, JOB_MESSAGES, jobEvent } from '../files';

export type ProgressTarget = { uploadId: string } | { fileId: string } | { jobId: string };

type StreamDeps = Pick<Deps, 'files' | 'jobs' | 'progress'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function matches(target: ProgressTarget, jobId: string | null, e: IngestProgress): boolean {
  if (jobId) return e.jobId === jobId;
  if ('uploadId' in target) return e.uploadId === target.uploadId;
  if ('fileId' in target) return e.fileId === target.fileId;
  return e.jobId === target.jobId;
}

async function currentJob(deps: StreamDeps, userId: string, target: ProgressTarget) {
  if ('uploadId' in target) return deps.jobs.latestForUpload(userId, target.uploadId);
  if (!UUID.test('fileId' in target ? target.fileId : target.jobId)) return null;
  if ('fileId' in target) return deps.jobs.latestForFile(userId, target.fileId);
  return deps.jobs.get(userId, target.jobId);
}

/**
 * Opens the progress of one of the caller's uploads. Listens first, then reads the job row, so no
 * event falls between the two: the stream starts with the job's current state (a finished job's final
 * event at once) and follows it to `indexed` or `failed`. By file or job id, an id that is not the
 * caller's is a 404 (thrown here, before any event); by upload id the job may not exist yet.
 */
export async function openProgress(
  deps: StreamDeps,
  userId: string,
  target: ProgressTarget,
  signal?: AbortSignal,
): Promise<AsyncGenerator<IngestProgress>> {
  const queue: IngestProgress[] = [];
  let wake: (() => void) | null = null;
  let jobId: string | null = null;
  const stop = await deps.progress.listen(
    (u, e) => {
      if (u !== userId || !matches(target, jobId, e)) return;
      queue.push(e);
      wake?.();
    },
    {
      // The final event may have been published while the bus was reconnecting (lost): the job row
      // says how the job ended instead, so the stream still ends.
      onReconnect: () =>
        void currentJob(deps, userId, target).then(
          (j) => {
            if (!j || (jobId !== null && j.id !== jobId) || !FINAL_STAGES.has(jobEvent(j).stage))
              return;
            queue.push(jobEvent(j));
            wake?.();
          },
          () => undefined,
        ),
    },
  );
  let job: IngestJob | null;
  let snapshot: IngestProgress | null = null;
  try {
    job = await currentJob(deps, userId, target);
    if (job) snapshot = jobEvent(job);
    else if ('fileId' in target) snapshot = await legacyFileEvent(deps, userId, target.fileId);
    else if ('jobId' in target)
      throw new AppError('NOT_FOUND', JOB_MESSAGES.noSuchFile(target.jobId));
  } catch (e) {
    await stop();
    throw e;
  }
  jobId = job?.id ?? null;

  async function* events(): AsyncGenerator<IngestProgress> {
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      if (snapshot) {
        yield snapshot;
        if (FINAL_STAGES.has(snapshot.stage)) return;
      }
      while (!signal?.aborted) {
        const e = queue.shift();
        if (!e) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        jobId ??= e.jobId;
        if (e.jobId !== jobId) continue;
        yield e;
        if (FINAL_STAGES.has(e.stage)) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await stop();
    }
  }
  return events();
}

/** A file indexed before jobs existed has no job: its final event comes from the file row (404 if none). */
async function legacyFileEvent(deps: StreamDeps, userId: string, fileId: string) {
  const f = await fileStatus(deps, userId, fileId).catch(() => null);
  if (!f || f.status !== 'indexed')
    throw new AppError('NOT_FOUND', JOB_MESSAGES.noSuchFile(fileId));
  const pages = f.page_count;
  return {
    stage: 'indexed' as const,
    jobId: '',
    uploadId: null,
    fileId: f.file_id,
    filename: f.filename,
    chunks: f.chunks_count,
    pageCount: pages,
    done: pages ?? f.chunks_count,
    total: pages ?? f.chunks_count,
  };
}
