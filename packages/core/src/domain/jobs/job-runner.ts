import { randomUUID } from 'node:crypto';

import { AppError } from '../../errors';
import { runAsBackground } from '../../lib/work-priority';
import type { IngestJob, NewJob } from '../../ports/job-store';
import { JOB_MESSAGES, jobEvent } from '../files';
import { readAhead, type ReadAhead } from './prepare-small';
import { failJob, jobBudget, type JobDeps } from './run-job';
import { BATCH_FILE_BYTES, BATCH_JOBS, runClaimed } from './run-batch';

export type JobRunner = {
  readonly workerId: string;
  readonly concurrency: number;
  /** Slots running jobs now (draining ones included). */
  readonly running: number;
  /** Claims queued jobs while this gateway has capacity (cheap; call after every enqueue). */
  kick(): void;
  /**
   * Holds a free slot for an upload about to be enqueued (null when every slot is busy or the runner is
   * stopped): enqueued with this claim, the job needs no claim round trip. Hand the job to `adopt`, or
   * give the slot back with `cancel` when the enqueue failed.
   */
  reserve(): SlotClaim | null;
  /** One maintenance round: renew our leases, recover abandoned jobs, prune old ones, claim. */
  sweep(): Promise<void>;
  start(): Promise<void>;
  /**
   * Stops claiming; running jobs are aborted and put back in the queue for another worker. With
   * `abandon` they are left exactly as a crash leaves them (for a process that is going down because
   * its database failed, and for crash tests): the lease expiry or the next start-up recovers them.
   */
  stop(opts?: { abandon?: boolean }): Promise<void>;
};

/** A launched run of claimed jobs: one job, or a batch of small ones. */
type Slot = { controller: AbortController; done: Promise<void> };

export type SlotClaim = {
  workerId: string;
  leaseSeconds: number;
  /**
   * Starts reading the job about to be enqueued with this claim (its bytes stored), when it is small:
   * the parse overlaps the enqueue. `adopt` hands the read to the job if it is ours; otherwise it is dropped.
   */
  readAhead(job: NewJob): void;
  /** Runs the job enqueued with this claim when it is ours (running), else kicks the queue; frees the slot. */
  adopt(job: IngestJob): void;
  cancel(): void;
};

/**
 * Slots at most that write and commit after their reads, beside those reading: two let the next claim
 * go while one batch writes and the one before it commits; the bound keeps read chunks from piling up
 * when the database is slower than the pool.
 */
const DRAINING_SLOTS = 2;

/** How long `stop` waits for uploads that hold a reserved slot to finish enqueueing. */
const RESERVATION_WAIT_MS = 5_000;

export type JobRunnerOptions = {
  concurrency: number;
  leaseSeconds: number;
  maxAttempts: number;
  retentionDays: number;
};

/** Fails jobs no worker could finish in `maxAttempts` tries, cleaning up their files. */
export async function failExhausted(deps: Omit<JobDeps, 'ingestPool'>, jobs: IngestJob[]) {
  for (const job of jobs)
    await failJob(deps, job, null, new AppError('INTERNAL', JOB_MESSAGES.interrupted)).then(
      () => undefined,
      (err: unknown) => deps.log.error({ err, jobId: job.id }, 'failing an abandoned job failed'),
    );
}

/**
 * The job loop of one gateway: claims queued jobs (atomically across gateways), runs up to
 * `concurrency` at once, renews their leases, and requeues jobs whose worker died (lease expired).
 * Woken by local uploads, by any gateway's `uploaded` event, by the progress bus re-listening after a
 * lost connection, and by a periodic sweep.
 */
export function createJobRunner(deps: JobDeps, opts: JobRunnerOptions): JobRunner {
  const workerId = randomUUID();
  const active = new Map<string, Slot>();
  /** Slots holding capacity (their jobs still use the ingest pool). */
  let slots = 0;
  /** Slots not ended yet, draining ones included. */
  let launched = 0;
  /** Slots whose reads are done while they write and commit; they hold no capacity. */
  const draining = new Set<Promise<void>>();
  /** Slots whose reads are done too, waiting for a draining one to end. */
  const drainQueue: (() => void)[] = [];
  /** The end of the slot that started draining last: a slot launched after it commits after it. */
  let lastDrained: Promise<void> = Promise.resolve();
  /** Slots held by `reserve` for jobs being enqueued. */
  let reserved = 0;
  /**
   * False once a claim found the queue empty and nothing may have queued a job since (a local upload,
   * any gateway's `uploaded` event, a sweep set it): a slot that ends then sends no empty claim.
   */
  let mayBeQueued = true;
  let claiming = false;
  let again = false;
  let stopped = true;
  /** Releases of jobs adopted after `stop`: awaited by `stop`, which precedes closing the database. */
  const releasing = new Set<Promise<void>>();
  /** Resolves `stop`'s wait for open reservations once the last one is adopted or cancelled. */
  let reservationsSettled: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const claim = async () => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        while (!stopped && mayBeQueued && slots + reserved < opts.concurrency) {
          mayBeQueued = false; // a kick while this claim runs sets it again
          // A small job takes more small ones along: they are indexed and committed together.
          const jobs = await deps.jobs.claim(workerId, BATCH_JOBS, opts.leaseSeconds, {
            batchBytes: BATCH_FILE_BYTES,
          });
          if (jobs.length === 0) break;
          mayBeQueued = true;
          launch(jobs);
        }
      } while (again && !stopped);
    } catch (err) {
      mayBeQueued = true; // unknown: the next slot end or kick tries again
      deps.log.error({ err }, 'claiming ingestion jobs failed');
    } finally {
      claiming = false;
    }
  };

  /**
   * One slot runs what it claimed; every job's lease is renewed until the slot ends. A batch whose
   * reads are queued gives its capacity back while it writes and commits (at most
   * `DRAINING_SLOTS` at a time), so the pool reads the next claim meanwhile instead of waiting for the database.
   */
  const launch = (jobs: IngestJob[], ahead?: ReadAhead) => {
    const controller = new AbortController();
    slots++;
    launched++;
    let holds = true;
    const free = () => {
      if (holds) slots--;
      holds = false;
    };
    let ended = () => {};
    const end = new Promise<void>((resolve) => (ended = resolve));
    const pipeline = {
      previous: lastDrained,
      readsDone() {
        if (!holds) return;
        if (draining.size >= DRAINING_SLOTS) {
          drainQueue.push(() => pipeline.readsDone());
          return;
        }
        draining.add(end);
        lastDrained = end;
        free();
        claimSoon();
      },
    };
    // Ingestion is background work: on the embedded database, requests' queries go first.
    const done = runAsBackground(() =>
      runClaimed(deps, jobs, workerId, controller.signal, pipeline, ahead),
    )
      .catch((err: unknown) =>
        deps.log.error({ err, jobIds: jobs.map((j) => j.id) }, 'ingestion job crashed'),
      )
      .finally(() => {
        free();
        launched--;
        ended();
        draining.delete(end);
        while (draining.size < DRAINING_SLOTS && drainQueue.length) drainQueue.shift()?.();
        for (const job of jobs) active.delete(job.id);
        claimSoon();
      });
    const slot = { controller, done };
    for (const job of jobs) active.set(job.id, slot);
  };

  /** Claims if the queue may hold work (e.g. a slot just freed). */
  const claimSoon = () => {
    if (!stopped) void runAsBackground(claim);
  };
  /** Something may have been queued: claim. */
  const kick = () => {
    mayBeQueued = true;
    claimSoon();
  };

  const reserve = (): SlotClaim | null => {
    // A claim in flight is not counted: what it finds still runs, one job beyond `concurrency` at most
    // (the pool queues its read). Refusing the upload instead made it wait for that claim, usually the
    // empty one its predecessor's slot sent at its end, which on the embedded database waits behind the
    // requests' queries: ≈ 35 ms more for every upload of a series.
    if (stopped || slots + reserved >= opts.concurrency) return null;
    reserved++;
    let open = true;
    let ahead: ReadAhead | null = null;
    const free = () => {
      if (!open) return false;
      open = false;
      reserved--;
      if (reserved === 0) reservationsSettled?.();
      return true;
    };
    return {
      workerId,
      leaseSeconds: opts.leaseSeconds,
      readAhead(job) {
        if (open && !stopped) ahead = readAhead(deps, job, jobBudget(deps));
      },
      adopt(job) {
        if (!free()) return;
        if (job.status !== 'running') return kick(); // queued behind older jobs
        if (!stopped) return launch([job], ahead ?? undefined);
        // Stopped meanwhile: back in the queue, as a shutdown does with running jobs, announced so
        // another gateway takes it at once.
        const release = deps.jobs
          .release(job.id, workerId)
          .then(() => deps.progress.publish(job.userId, jobEvent({ ...job, status: 'queued' })))
          .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'releasing a job failed'))
          .finally(() => releasing.delete(release));
        releasing.add(release);
      },
      cancel() {
        if (free()) claimSoon();
      },
    };
  };

  const sweep = async () => {
    try {
      const ids = [...active.keys()];
      const held = new Set(await deps.jobs.renew(workerId, ids, opts.leaseSeconds));
      // A slot whose leases we all lost (e.g. this process stalled) belongs to other workers now: stop
      // it. Judged on the jobs renewed here only (a slot launched while the renewal ran was not in it),
      // and on all of a slot's jobs (one of a batch that ended alone, refused, is not renewed either;
      // the batch's writes and commit check every claim anyway). Stopped, such a slot left its rows
      // claimed and idle until the lease ran out: a scifact build took 52 s instead of 9.
      const anyHeld = new Map<Slot, boolean>();
      for (const id of ids) {
        const slot = active.get(id);
        if (slot) anyHeld.set(slot, (anyHeld.get(slot) ?? false) || held.has(id));
      }
      for (const [slot, some] of anyHeld) if (!some) slot.controller.abort('lease-lost');
      const { requeued, exhausted } = await deps.jobs.recoverAbandoned({
        all: false,
        maxAttempts: opts.maxAttempts,
      });
      for (const job of requeued) {
        deps.log.warn(
          { jobId: job.id, attempts: job.attempts },
          'requeued an interrupted ingestion job',
        );
        await deps.progress.publish(job.userId, jobEvent(job));
      }
      await failExhausted(deps, exhausted);
      const before = new Date(deps.clock.now().getTime() - opts.retentionDays * 86_400_000);
      await deps.jobs.prune(before);
    } catch (err) {
      deps.log.error({ err }, 'ingestion job sweep failed');
    }
    kick();
  };

  return {
    workerId,
    concurrency: opts.concurrency,
    get running() {
      return launched;
    },
    kick,
    reserve,
    sweep,
    async start() {
      stopped = false;
      // Any gateway's new (or requeued) job wakes every runner; the claim decides who takes it. The
      // `uploaded` events of jobs queued while the LISTEN connection was down are lost: a reconnect
      // re-checks the queue at once (else they would wait for the sweep).
      unlisten = await deps.progress.listen(
        (_user, e) => {
          // Our own adopted jobs announce `uploaded` too: they are running already.
          if (e.stage === 'uploaded' && !active.has(e.jobId)) kick();
        },
        { onReconnect: kick },
      );
      timer = setInterval(
        () => void runAsBackground(sweep),
        Math.max(200, (opts.leaseSeconds * 1000) / 3),
      );
      timer.unref();
      kick();
    },
    async stop(o) {
      stopped = true;
      clearInterval(timer);
      await unlisten?.();
      const running = [...new Set(active.values())];
      for (const r of running) r.controller.abort(o?.abandon ? 'abandon' : 'shutdown');
      await Promise.allSettled(running.map((r) => r.done));
      // Uploads between `reserve` and `adopt` finish their enqueue first (bounded: a stuck one is
      // left to the lease expiry), then their releases land before the database closes.
      if (reserved > 0)
        await new Promise<void>((resolve) => {
          reservationsSettled = resolve;
          setTimeout(resolve, RESERVATION_WAIT_MS).unref();
        });
      await Promise.allSettled([...releasing]);
    },
  };
}
