/**
 * A worker's side of the job table: claims with a lease, the stages it reports, its verdict. Every
 * write is conditional on still holding the claim, so a worker whose lease was taken over changes
 * nothing.
 */
import { and, asc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';

import type { Db } from '../../db/database';
import { ingestJobs } from '../../db/schema/jobs';
import type { JobStore } from '../../ports/job-store';
import { toJob } from './job-rows';
import { queryRow } from './sql-helpers';

type JobLeases = Pick<
  JobStore,
  | 'claim'
  | 'renew'
  | 'progress'
  | 'finish'
  | 'fail'
  | 'failDiscardingFile'
  | 'release'
  | 'recoverAbandoned'
>;

const leaseEnd = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;
const heldBy = (jobId: string, workerId: string) =>
  and(
    eq(ingestJobs.id, jobId),
    eq(ingestJobs.claimedBy, workerId),
    eq(ingestJobs.status, 'running'),
  );

/** Back in the queue, unclaimed (a release or an abandoned lease). */
const requeued = {
  status: 'queued',
  stage: 'uploaded',
  claimedBy: null,
  leaseUntil: null,
} as const;

export function createJobLeases(db: Db): JobLeases {
  /** Updates the job rows `where` matches (e.g. still held by this worker); false when none did. */
  const updateWhere = async (
    where: SQL | undefined,
    set: PgUpdateSetSource<typeof ingestJobs>,
  ): Promise<boolean> => {
    const rows = await db
      .update(ingestJobs)
      .set({ ...set, updatedAt: sql`now()` })
      .where(where)
      .returning({ id: ingestJobs.id });
    return rows.length > 0;
  };
  return {
    async claim(workerId, limit, leaseSeconds, opts) {
      if (limit <= 0) return [];
      const batch = opts?.batchBytes;
      const next =
        batch === undefined
          ? db
              .select({ id: ingestJobs.id })
              .from(ingestJobs)
              .where(eq(ingestJobs.status, 'queued'))
              .orderBy(asc(ingestJobs.createdAt))
              .limit(limit)
              .for('update', { skipLocked: true })
          : // The oldest job and, when it is small, the small ones after it: one statement (the job
            // loop's claim waited twice behind a batch's chunk write when it took two).
            sql`(with oldest as (
                  select id, size from ingest_jobs where status = 'queued'
                  order by created_at limit 1 for update skip locked)
                select j.id from ingest_jobs j, oldest o
                where j.status = 'queued'
                  and (j.id = o.id or (o.size <= ${batch} and j.size <= ${batch}))
                order by j.created_at limit ${limit} for update of j skip locked)`;
      const rows = await db
        .update(ingestJobs)
        .set({
          status: 'running',
          claimedBy: workerId,
          leaseUntil: leaseEnd(leaseSeconds),
          attempts: sql`${ingestJobs.attempts} + 1`,
          updatedAt: sql`now()`,
        })
        .where(inArray(ingestJobs.id, next))
        .returning();
      return rows.map(toJob).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
    async renew(workerId, jobIds, leaseSeconds) {
      if (jobIds.length === 0) return [];
      const rows = await db
        .update(ingestJobs)
        .set({ leaseUntil: leaseEnd(leaseSeconds) })
        .where(
          and(
            inArray(ingestJobs.id, jobIds),
            eq(ingestJobs.claimedBy, workerId),
            eq(ingestJobs.status, 'running'),
          ),
        )
        .returning({ id: ingestJobs.id });
      return rows.map((r) => r.id);
    },
    async progress(jobId, workerId, p) {
      // The job's file row shows the same stage and counts (its status route reads them), written in
      // the same statement: a separate file update per stage was one more round trip per batch.
      const both = [sql`stage = ${p.stage}`];
      if (p.pageCount !== undefined) both.push(sql`page_count = ${p.pageCount}::int`);
      if (p.chunksCount !== undefined) both.push(sql`chunks_count = ${p.chunksCount}::int`);
      const job = [...both, sql`updated_at = now()`];
      if (p.pagesDone !== undefined) job.push(sql`pages_done = ${p.pagesDone}::int`);
      const row = await queryRow<{ held: number }>(
        db,
        sql`
        with job as (
          update ingest_jobs set ${sql.join(job, sql`, `)}
          where id = ${jobId}::uuid and claimed_by = ${workerId} and status = 'running'
          returning file_id
        ),
        file as (
          update files set ${sql.join(both, sql`, `)}
          where id in (select file_id from job) and status = 'processing'
          returning 1
        )
        select count(*)::int as held from job`,
      );
      return (row?.held ?? 0) > 0;
    },
    finish: (jobId, workerId, r) =>
      updateWhere(heldBy(jobId, workerId), {
        status: 'done',
        stage: 'indexed',
        resultFileId: r.resultFileId,
        chunksCount: r.chunksCount,
        pageCount: r.pageCount,
        duplicate: r.duplicate,
        leaseUntil: null,
        finishedAt: sql`now()`,
      }),
    fail: (jobId, workerId, f) =>
      updateWhere(
        workerId
          ? heldBy(jobId, workerId)
          : and(eq(ingestJobs.id, jobId), inArray(ingestJobs.status, ['queued', 'running'])),
        {
          status: 'failed',
          stage: 'failed',
          errorCode: f.code,
          reason: f.reason,
          leaseUntil: null,
          finishedAt: sql`now()`,
        },
      ),
    async failDiscardingFile(jobId, workerId, f) {
      const row = await queryRow<{ held: number }>(
        db,
        sql`
        with job as (
          update ingest_jobs set status = 'failed', stage = 'failed', error_code = ${f.code},
                                 reason = ${f.reason}, lease_until = null, finished_at = now(),
                                 updated_at = now()
          where id = ${jobId}::uuid and claimed_by = ${workerId} and status = 'running'
          returning file_id, user_id
        ),
        gone as (
          delete from files using job where files.id = job.file_id and files.user_id = job.user_id
          returning 1
        )
        select count(*)::int as held from job`,
      );
      return (row?.held ?? 0) > 0;
    },
    async release(jobId, workerId) {
      await db
        .update(ingestJobs)
        .set({ ...requeued, updatedAt: sql`now()` })
        .where(heldBy(jobId, workerId));
    },
    async recoverAbandoned({ all, maxAttempts }) {
      const abandoned = and(
        eq(ingestJobs.status, 'running'),
        all ? undefined : lt(ingestJobs.leaseUntil, sql`now()`),
      );
      return db.transaction(async (tx) => {
        const back = await tx
          .update(ingestJobs)
          .set({ ...requeued, chunksCount: 0, pagesDone: null, updatedAt: sql`now()` })
          .where(and(abandoned, lt(ingestJobs.attempts, maxAttempts)))
          .returning();
        const exhausted = await tx.select().from(ingestJobs).where(abandoned);
        return { requeued: back.map(toJob), exhausted: exhausted.map(toJob) };
      });
    },
  };
}
