import type { Deps } from '../../ports/deps';
import type { IngestJob } from '../../ports/job-store';
import { FINAL_STAGES, FINISHED_JOB, type FinishedJob } from '../../ports/progress-bus';

/** Re-reads the row this often while waiting, in case a notification was lost (LISTEN reconnect). */
const RECHECK_MS = 2000;

/** Waits until a job is done or failed (its final event, or the row says so); returns the final row. */
export async function waitForJob(
  deps: Pick<Deps, 'jobs' | 'progress'>,
  userId: string,
  jobId: string,
  signal?: AbortSignal,
): Promise<FinishedJob> {
  const waiting = await listenForJob(deps, userId);
  try {
    return await waiting.until(jobId, { signal, listenedSinceCreated: false });
  } finally {
    await waiting.stop();
  }
}

/**
 * Listens for the final events of one of a user's jobs, before the job may exist (an upload listens,
 * then submits): `until` names the job and waits for its final row.
 */
export async function listenForJob(deps: Pick<Deps, 'jobs' | 'progress'>, userId: string) {
  let jobId: string | null = null;
  // Jobs whose final event arrived and whose row was not read since, with the finished job when this
  // process's runner attached it (then no read is needed).
  const ended = new Map<string, FinishedJob | undefined>();
  let wake: () => void = () => undefined;
  const stop = await deps.progress.listen((u, e) => {
    if (u !== userId || !FINAL_STAGES.has(e.stage) || (jobId !== null && e.jobId !== jobId)) return;
    ended.set(e.jobId, e[FINISHED_JOB]);
    wake();
  });
  return {
    stop,
    /**
     * With `listenedSinceCreated` (the listener was up before the job was written, so no final event
     * can have been missed) the row is read only once the final event arrives or at a recheck; without
     * it, at once too.
     */
    async until(
      id: string,
      o: { signal?: AbortSignal; listenedSinceCreated: boolean },
    ): Promise<FinishedJob> {
      jobId = id;
      let read = !o.listenedSinceCreated;
      let rechecked = false;
      let graced = false;
      for (;;) {
        o.signal?.throwIfAborted();
        const finished = ended.get(id);
        if (finished) return finished;
        if (read || ended.has(id)) {
          const heard = ended.has(id);
          ended.delete(id);
          const job = await deps.jobs.get(userId, id);
          if (!job) throw new Error(`job ${id} vanished`);
          if (job.status === 'done' || job.status === 'failed') {
            if (heard || !rechecked || graced) return job;
            // Final, found by a recheck before its event: the runner may still be removing what
            // the job replaced (its event follows that). One more pause, cut short by the event.
            graced = true;
          } else if (ended.has(id)) continue;
        }
        await recheckPause(o.signal, (w) => (wake = w));
        read = true; // a final event, or the recheck
        rechecked = !ended.has(id);
      }
    },
  };
}

/** Ends after RECHECK_MS, on abort, or when the wake it hands out is called (a final event arrived). */
function recheckPause(
  signal: AbortSignal | undefined,
  setWake: (wake: () => void) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, RECHECK_MS);
    setWake(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Unheard jobs re-read per recheck: the oldest first (jobs run in submission order). */
const RECHECK_PAGE = 256;

type JobsWaitDeps = {
  jobs: Pick<Deps['jobs'], 'getMany'>;
  progress: Pick<Deps['progress'], 'listen'>;
};

/**
 * Waits until every one of a user's jobs is done or failed (one listener for all); returns the final
 * rows, in the order of `jobIds`. Rows are read when their final event was heard, and on each recheck
 * only the oldest `RECHECK_PAGE` unheard ones (a lost notification is found once its job reaches the
 * front). Re-reading every open row every 2 s read all 5,000 rows of a 5,000-file bulk build per recheck.
 */
export async function waitForJobs(
  deps: JobsWaitDeps,
  userId: string,
  jobIds: string[],
  signal?: AbortSignal,
): Promise<IngestJob[]> {
  const listening = await listenForJobs(deps, userId);
  try {
    return await listening.wait(jobIds, signal);
  } finally {
    await listening.stop();
  }
}

/**
 * {@link waitForJobs} with the listener up first: started before the jobs are submitted, it keeps the
 * final events of jobs that end before `wait` is called (a bulk upload's first jobs end while later
 * files are still being enqueued; unheard, they were found only a recheck page every 2 s).
 */
export async function listenForJobs(deps: JobsWaitDeps, userId: string) {
  let open: Set<string> | null = null;
  /** Final events heard before `wait` knew its jobs. */
  const early = new Set<string>();
  const heard = new Set<string>(); // open jobs whose final event arrived since their row was last read
  let wake: () => void = () => undefined;
  const stop = await deps.progress.listen((u, e) => {
    if (u !== userId || !FINAL_STAGES.has(e.stage)) return;
    if (!open) return void early.add(e.jobId);
    if (!open.has(e.jobId)) return;
    heard.add(e.jobId);
    if (heard.size >= open.size) wake();
  });
  return { stop, wait };

  async function wait(jobIds: string[], signal?: AbortSignal): Promise<IngestJob[]> {
    const waiting = new Set(jobIds);
    open = waiting;
    for (const id of early) if (waiting.has(id)) heard.add(id);
    early.clear();
    return readUntilEnded(deps, userId, jobIds, waiting, heard, signal, (w) => (wake = w));
  }
}

async function readUntilEnded(
  deps: JobsWaitDeps,
  userId: string,
  jobIds: string[],
  open: Set<string>,
  heard: Set<string>,
  signal: AbortSignal | undefined,
  onWake: (wake: () => void) => void,
): Promise<IngestJob[]> {
  const final = new Map<string, IngestJob>();
  const graced = new Set<string>();
  for (let pass = 0; open.size; pass++) {
    signal?.throwIfAborted();
    const unheard: string[] = [];
    for (const id of open) {
      if (unheard.length >= RECHECK_PAGE) break;
      if (!heard.has(id)) unheard.push(id);
    }
    const heardNow = new Set(heard);
    heard.clear();
    for (const job of await deps.jobs.getMany(userId, [...heardNow, ...unheard])) {
      if (job.status !== 'done' && job.status !== 'failed') continue;
      // Final, found by a recheck before its event: held one more pass (see listenForJob).
      if (pass > 0 && !heardNow.has(job.id) && !graced.has(job.id)) {
        graced.add(job.id);
        continue;
      }
      final.set(job.id, job);
      open.delete(job.id);
      heard.delete(job.id);
    }
    if (open.size === 0 || heard.size >= open.size) continue;
    await recheckPause(signal, onWake);
  }
  return jobIds.flatMap((id) => {
    const job = final.get(id);
    if (!job) throw new Error(`job ${id} vanished`);
    return [job];
  });
}
