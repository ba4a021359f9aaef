import type { IngestJob } from '../../ports/job-store';
import type { ChunkRecord, WriteClaim } from '../../ports/vector-index';
import { fileGoneError, removeReplaced, WRITE_BATCH } from '../files';
import { jobPublisher } from './job-events';
import { readSmallJobs, SMALL_FILE_BYTES, type Prepared, type ReadAhead } from './prepare-small';
import { commitJob, endInterrupted, failJob, jobBudget, runJob, type JobDeps } from './run-job';

/** Files up to this size are run together (a corpus of small records); larger ones one by one. */
export const BATCH_FILE_BYTES = SMALL_FILE_BYTES;
/** At most this many bytes of files per batch: bounds the chunks and vectors held until the commit. */
export const BATCH_TOTAL_BYTES = 4 * 2 ** 20;
/** Jobs claimed for one slot at once. */
export const BATCH_JOBS = 256;

/**
 * Splits claimed jobs into one batch and the rest: small files go together, except a second file of
 * the same name or the same bytes for one user (it replaces, or duplicates, the first: it runs after).
 */
export function partitionJobs(jobs: IngestJob[]): { batch: IngestJob[]; alone: IngestJob[] } {
  const batch: IngestJob[] = [];
  const alone: IngestJob[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const job of jobs) {
    const keys = [`n:${job.userId}:${job.filename}`, `s:${job.userId}:${job.sha256}`];
    const fits = job.size <= BATCH_FILE_BYTES && bytes + job.size <= BATCH_TOTAL_BYTES;
    if (!fits || keys.some((k) => seen.has(k))) {
      alone.push(job);
      continue;
    }
    for (const k of keys) seen.add(k);
    bytes += job.size;
    batch.push(job);
  }
  return { batch: batch.length > 1 ? batch : [], alone: batch.length > 1 ? alone : jobs };
}

/** Small jobs read in one pool task: one result message for all of them. */
const GROUP_JOBS = 16;
/** A group's files hold at most this many bytes (a larger file makes a group of its own). */
const GROUP_BYTES = 256 * 1024;

/** The batch's jobs in read groups, in order. */
function readGroups(jobs: IngestJob[]): IngestJob[][] {
  const groups: IngestJob[][] = [];
  let group: IngestJob[] = [];
  let bytes = 0;
  for (const job of jobs) {
    if (group.length && (group.length >= GROUP_JOBS || bytes + job.size > GROUP_BYTES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(job);
    bytes += job.size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** One group of small jobs read in the pool, each job's records kept for the batch write. */
async function prepareGroup(
  deps: JobDeps,
  jobs: IngestJob[],
  signal: AbortSignal,
): Promise<Outcome[]> {
  const events = new Map(jobs.map((job) => [job.id, jobPublisher(deps, job)]));
  const publisher = (job: IngestJob) => events.get(job.id) as ReturnType<typeof jobPublisher>;
  const reads = await readSmallJobs(
    deps,
    jobs,
    () => jobBudget(deps),
    signal,
    (job) => (stage, p) => publisher(job).publish(stage, p),
  ).catch((error: unknown) => jobs.map(() => ({ error })));
  return jobs.map((job, i) => {
    const read = reads[i] ?? { error: new Error('no answer for a job of the group') };
    return 'error' in read
      ? { job, error: read.error }
      : { job, p: { job, events: publisher(job), ...read } };
  });
}

/** Read groups in the pool at once, ahead of the one being handled here (the workers never wait). */
const groupsAhead = (deps: JobDeps) => Math.max(2, deps.ingestPool.size + 1);

type Outcome = { job: IngestJob; p?: Prepared; error?: unknown };

/**
 * Writes every prepared job's chunks, one user at a time (each write is the user's transaction), under
 * the jobs' claims: a job taken over by another runner meanwhile gets none of its chunks written.
 */
async function writeChunks(deps: JobDeps, ready: Prepared[], workerId: string): Promise<void> {
  const byUser = new Map<string, { records: ChunkRecord[]; claim: WriteClaim }>();
  for (const p of ready) {
    let write = byUser.get(p.job.userId);
    if (!write) byUser.set(p.job.userId, (write = { records: [], claim: { workerId, jobs: [] } }));
    for (const r of p.records) write.records.push(r);
    write.claim.jobs.push({ jobId: p.job.id, fileId: p.job.fileId });
  }
  for (const [userId, { records, claim }] of byUser)
    await deps.vectorIndex.upsert(userId, records, claim);
}

/**
 * The batch's chunk writes, one at a time, each while the next jobs are parsed and embedded. A failed
 * write is kept (never an unhandled rejection) and rethrown by `settle`.
 */
function serialWrites(deps: JobDeps, workerId: string) {
  let writing = Promise.resolve();
  let failed: { error: unknown } | null = null;
  return {
    async submit(batch: Prepared[]) {
      await writing;
      if (failed) return;
      writing = writeChunks(deps, batch, workerId).then(
        () => {
          for (const p of batch) p.records = []; // written: only the counts are needed now
        },
        (error: unknown) => {
          failed = { error };
        },
      );
    },
    async settle() {
      await writing;
      if (failed) throw failed.error;
    },
  };
}

/** Commits the batch in one transaction; on a collision each job is committed alone instead. */
async function commitAll(deps: JobDeps, ready: Prepared[], workerId: string): Promise<void> {
  const items = ready.map((p) => ({
    jobId: p.job.id,
    userId: p.job.userId,
    fileId: p.job.fileId,
    filename: p.job.filename,
    chunksCount: p.chunksCount,
    pageCount: p.pageCount,
  }));
  let outcome;
  try {
    outcome = await deps.jobs.commitBatch(workerId, items);
  } catch (e) {
    deps.log.warn({ err: e }, 'batch commit failed; committing its jobs one by one');
    for (const p of ready)
      await commitJob(deps, p.job, workerId, p.events, p).catch((err: unknown) =>
        endInterrupted(deps, p.job, workerId, new AbortController().signal, err),
      );
    return;
  }
  const committed = new Set(outcome.committed);
  const gone = new Set(outcome.gone);
  for (const p of ready) {
    if (committed.has(p.job.id))
      p.events.publish('indexed', {
        fileId: p.job.fileId,
        chunks: p.chunksCount,
        pageCount: p.pageCount,
      });
    else if (gone.has(p.job.id)) await failJob(deps, p.job, workerId, fileGoneError());
  }
  if (outcome.lost.length)
    deps.log.warn({ jobIds: outcome.lost }, 'jobs taken over by another worker; leaving them');
  await removeReplaced(deps, outcome.replaced);
}

/**
 * How a slot's run overlaps the next one: `readsDone` tells the job loop that its pool work is over
 * (the next claim's reads may start while this slot writes and commits); `previous` settles when the
 * slot draining before this one has ended, and this slot commits only after it, so commits keep claim
 * order (a newer upload of a name replaces the older one, never the reverse).
 */
export type SlotPipeline = { readsDone(): void; previous: Promise<unknown> };

const noPipeline: SlotPipeline = { readsDone() {}, previous: Promise.resolve() };

/**
 * Runs many small claimed jobs as one: each is parsed, chunked and embedded on its own (a bad document
 * fails alone), then all their chunks are written together and all files committed in one
 * transaction. Until that commit no file of the batch is indexed, so a crash leaves only chunks of
 * unindexed files, which the retry (or start-up reconciliation) removes. If the shared write fails,
 * its chunks are removed and every job runs again alone.
 */
export async function runJobBatch(
  deps: JobDeps,
  jobs: IngestJob[],
  workerId: string,
  signal: AbortSignal,
  pipeline: SlotPipeline = noPipeline,
): Promise<void> {
  const ready: Prepared[] = [];
  const writes = serialWrites(deps, workerId);
  let unwritten: Prepared[] = [];
  let unwrittenChunks = 0;
  // A few groups are read ahead (queued in the pool) so its workers never wait for this thread.
  const groups = readGroups(jobs);
  const ahead = groupsAhead(deps);
  const inFlight: Promise<Outcome[]>[] = [];
  let next = 0;
  const fill = () => {
    // After an abort (lease lost, shutdown) no further group of the batch is started.
    if (signal.aborted) return;
    for (; inFlight.length < ahead && next < groups.length; next++)
      inFlight.push(prepareGroup(deps, groups[next] as IngestJob[], signal));
    // Every read is queued in the pool: the next claim (a database round trip) goes now, so its reads
    // queue behind these before this batch's write and commit hold the database.
    if (next === groups.length) pipeline.readsDone();
  };
  fill();
  for (let g = inFlight.shift(); g; g = inFlight.shift()) {
    const outcomes = await g;
    fill();
    for (const { job, p, error } of outcomes) {
      if (p) {
        ready.push(p);
        unwritten.push(p);
        unwrittenChunks += p.records.length;
      } else await endInterrupted(deps, job, workerId, signal, error);
    }
    if (unwrittenChunks >= WRITE_BATCH) {
      await writes.submit(unwritten);
      unwritten = [];
      unwrittenChunks = 0;
    }
  }
  pipeline.readsDone();
  if (ready.length === 0) return;
  try {
    signal.throwIfAborted();
    await writes.submit(unwritten);
    await writes.settle();
    await pipeline.previous;
    signal.throwIfAborted();
  } catch (e) {
    for (const p of ready) await p.events.flushed();
    if (signal.aborted) {
      for (const p of ready) await endInterrupted(deps, p.job, workerId, signal, e);
      return;
    }
    deps.log.warn({ err: e }, 'batch write failed; running its jobs one by one');
    await pipeline.previous;
    for (const p of ready) {
      await deps.vectorIndex.deleteByFile(p.job.userId, p.job.fileId).catch(() => 0);
      await runJob(deps, p.job, workerId, signal);
    }
    return;
  }
  await commitAll(deps, ready, workerId);
  for (const p of ready) await p.events.flushed();
}

/**
 * Runs what one slot claimed: the small jobs as a batch, then the others one by one. Only a slot
 * whose jobs all went into the batch ends its pool work early (the others still read after it).
 */
export async function runClaimed(
  deps: JobDeps,
  jobs: IngestJob[],
  workerId: string,
  signal: AbortSignal,
  pipeline: SlotPipeline = noPipeline,
  ahead?: ReadAhead,
): Promise<void> {
  const { batch, alone } = partitionJobs(jobs);
  const previous = pipeline.previous;
  if (batch.length)
    await runJobBatch(
      deps,
      batch,
      workerId,
      signal,
      alone.length ? { ...noPipeline, previous } : pipeline,
    );
  await previous;
  for (const job of alone) await runJob(deps, job, workerId, signal, ahead);
}
