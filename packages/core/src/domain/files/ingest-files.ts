import { AppError } from '../../errors';
import type { IngestJob, NewJob } from '../../ports/job-store';
import { listenForJobs } from './wait-job';
import {
  announceJob,
  jobOutcome,
  newJob,
  storeBytes,
  toUploadError,
  type IngestDeps,
  type IngestInput,
  type IngestResult,
} from './ingest-file';
import { isSupportedExtension } from './parsers/parse-document';
import { quotaCheck, storageLimits } from './storage-quota';

/** Uploads queued per transaction. */
const ENQUEUE_BATCH = 500;

/**
 * Many uploads at once (a folder, a corpus): each file's bytes are stored, then the file rows and jobs
 * of up to 500 files are created in one transaction, and the job loop runs small files together.
 * Answers per input, in order: its job, or the error that refused it (nothing left behind for those).
 */
export async function submitUploads(
  deps: IngestDeps,
  inputs: IngestInput[],
): Promise<(IngestJob | AppError)[]> {
  const out: (IngestJob | AppError)[] = [];
  for (let i = 0; i < inputs.length; i += ENQUEUE_BATCH)
    out.push(...(await submitSlice(deps, inputs.slice(i, i + ENQUEUE_BATCH))));
  return out;
}

async function submitSlice(deps: IngestDeps, inputs: IngestInput[]) {
  const out: (IngestJob | AppError)[] = [];
  const staged: { at: number; job: NewJob }[] = [];
  for (const [at, input] of inputs.entries()) {
    const base = newJob(input);
    if (!isSupportedExtension(base.extension)) {
      const reason = `Không hỗ trợ định dạng file ${base.extension}`;
      out[at] = await announceJob(
        deps,
        await deps.jobs.recordRejected(base, { code: 'BAD_REQUEST', reason }),
      );
      continue;
    }
    try {
      const blob = await storeBytes(deps, base, input);
      staged.push({ at, job: { ...base, size: blob.size, sha256: blob.sha256 } });
    } catch (e) {
      out[at] = toUploadError(e, base.filename);
    }
  }
  let jobs: IngestJob[];
  try {
    jobs = await deps.jobs.enqueueMany(
      staged.map((s) => s.job),
      quotaCheck(storageLimits(deps.env)),
    );
  } catch (e) {
    for (const { job } of staged) await deps.blobs.delete(job.storageKey).catch(() => undefined);
    throw toUploadError(e, staged[0]?.job.filename ?? '');
  }
  deps.jobRunner.kick();
  for (const [k, job] of jobs.entries()) {
    const s = staged[k];
    if (!s) continue;
    // Identical bytes already indexed, or refused by the storage quota: the stored copy is not needed.
    if (job.duplicate || job.status === 'failed') await deps.blobs.delete(s.job.storageKey);
    out[s.at] = await announceJob(deps, job);
  }
  return out;
}

/**
 * Many uploads through the job pipeline, answering when all their jobs have ended: per input, its
 * result or its error (as the synchronous upload would answer it).
 */
export async function ingestFiles(
  deps: IngestDeps,
  inputs: IngestInput[],
  signal?: AbortSignal,
): Promise<(IngestResult | AppError)[]> {
  // Listening first: the first jobs end while later files are still being enqueued.
  const listeners = new Map<string, Awaited<ReturnType<typeof listenForJobs>>>();
  for (const userId of new Set(inputs.map((i) => i.userId)))
    listeners.set(userId, await listenForJobs(deps, userId));
  const final = new Map<string, IngestJob>();
  let submitted: (IngestJob | AppError)[];
  try {
    submitted = await submitUploads(deps, inputs);
    const byUser = new Map<string, string[]>();
    for (const s of submitted) {
      if (s instanceof AppError || s.status === 'done' || s.status === 'failed') continue;
      const ids = byUser.get(s.userId) ?? [];
      ids.push(s.id);
      byUser.set(s.userId, ids);
    }
    for (const [userId, ids] of byUser)
      for (const job of (await listeners.get(userId)?.wait(ids, signal)) ?? [])
        final.set(job.id, job);
  } finally {
    for (const l of listeners.values()) await l.stop();
  }
  return submitted.map((s) => {
    if (s instanceof AppError) return s;
    try {
      return jobOutcome(final.get(s.id) ?? s);
    } catch (e) {
      return e instanceof AppError ? e : toUploadError(e, s.filename);
    }
  });
}
