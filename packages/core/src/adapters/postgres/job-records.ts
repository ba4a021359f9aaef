/** Job rows written when an upload is accepted: queued work, or a finished answer without work. */
import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type { JobStore } from '../../ports/job-store';
import { jobValues, toJob } from './job-rows';
import { returned } from './sql-helpers';

/**
 * A new job's claim columns: taken by `claim` (as a claim would: running, attempt 1, leased) unless
 * another job is queued, which then goes first (the job stays queued for the next claim).
 */
function claimedIfIdle(claim: { workerId: string; leaseSeconds: number }) {
  const waiting = sql`exists (select 1 from ${ingestJobs} where ${ingestJobs.status} = 'queued')`;
  const unless = <T>(value: SQL<T>, otherwise: SQL<T>) =>
    sql<T>`(case when ${waiting} then ${otherwise} else ${value} end)`;
  return {
    status: unless(sql`'running'`, sql`'queued'`),
    claimedBy: unless(sql`${claim.workerId}::text`, sql`null::text`),
    leaseUntil: unless(
      sql`now() + make_interval(secs => ${claim.leaseSeconds})`,
      sql`null::timestamptz`,
    ),
    attempts: unless(sql`1`, sql`0`),
  };
}

export function createJobRecords(
  db: Db,
): Pick<JobStore, 'enqueue' | 'recordDuplicate' | 'recordRejected'> {
  return {
    async enqueue(j, claim) {
      return db.transaction(async (tx) => {
        await tx.insert(files).values({
          id: j.fileId,
          userId: j.userId,
          filename: j.filename,
          storageKey: j.storageKey,
          extension: j.extension,
          size: j.size,
          sha256: j.sha256,
          category: j.category,
          status: 'processing',
          stage: 'stored',
        });
        const rows = await tx
          .insert(ingestJobs)
          .values({
            ...jobValues(j),
            stage: 'uploaded',
            ...(claim ? claimedIfIdle(claim) : { status: 'queued' }),
          })
          .returning();
        return toJob(returned(rows, 'enqueue job'));
      });
    },
    async recordDuplicate(j, existing) {
      const rows = await db
        .insert(ingestJobs)
        .values({
          ...jobValues(j),
          fileId: existing.fileId,
          status: 'done',
          stage: 'indexed',
          resultFileId: existing.fileId,
          chunksCount: existing.chunksCount,
          pageCount: existing.pageCount,
          duplicate: true,
          finishedAt: sql`now()`,
        })
        .returning();
      return toJob(returned(rows, 'record duplicate job'));
    },
    async recordRejected(j, f) {
      const rows = await db
        .insert(ingestJobs)
        .values({
          ...jobValues(j),
          status: 'failed',
          stage: 'failed',
          errorCode: f.code,
          reason: f.reason,
          finishedAt: sql`now()`,
        })
        .returning();
      return toJob(returned(rows, 'record rejected job'));
    },
  };
}
