/** Job rows written when an upload is accepted: queued work, or a finished answer without work. */
import { and, eq, sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type { JobStore, NewJob, QuotaCheck } from '../../ports/job-store';
import { jobValues, toJob } from './job-rows';
import { returned, type Executor } from './sql-helpers';
import { lockUserStorage, quotaRefusals } from './storage-usage';

type Claim = { workerId: string; leaseSeconds: number };

/**
 * A new job's claim columns: taken by `claim` (as a claim would: running, attempt 1, leased) unless
 * another job is queued, which then goes first (the job stays queued for the next claim).
 */
function claimedIfIdle(claim: Claim) {
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

/**
 * One statement (atomic without a transaction): the user's indexed copy of these bytes, if any,
 * decides between a finished duplicate job (no file row) and the new file row with its job.
 */
async function insertJob(on: Executor, j: NewJob, claim?: Claim) {
  const copy = on.$with('copy').as(
    on
      .select({ id: files.id, chunksCount: files.chunksCount, pageCount: files.pageCount })
      .from(files)
      .where(
        and(eq(files.userId, j.userId), eq(files.sha256, j.sha256), eq(files.status, 'indexed')),
      )
      .limit(1),
  );
  const isCopy = sql`exists (select 1 from ${copy})`;
  const fileRow = on.$with('file_row', { id: sql<string>`id` }).as(sql`
        insert into ${files} (id, user_id, filename, storage_key, extension, size, sha256, category, status, stage)
        select ${j.fileId}::uuid, ${j.userId}::uuid, ${j.filename}::text, ${j.storageKey}::text,
               ${j.extension}::text, ${j.size}::bigint, ${j.sha256}::text, ${j.category}::text,
               'processing', 'stored'
        where not ${isCopy}
        returning id`);
  const ifCopy = <T>(dup: SQL<T>, fresh: SQL<T>) =>
    sql<T>`(case when ${isCopy} then ${dup} else ${fresh} end)`;
  const fresh = claim
    ? claimedIfIdle(claim)
    : {
        status: sql`'queued'`,
        claimedBy: sql`null::text`,
        leaseUntil: sql`null::timestamptz`,
        attempts: sql`0`,
      };
  const rows = await on
    .with(copy, fileRow)
    .insert(ingestJobs)
    .values({
      ...jobValues(j),
      fileId: sql`coalesce((select ${copy.id} from ${copy}), ${j.fileId}::uuid)`,
      status: ifCopy(sql`'done'`, fresh.status),
      stage: ifCopy(sql`'indexed'`, sql`'uploaded'`),
      claimedBy: ifCopy(sql`null::text`, fresh.claimedBy),
      leaseUntil: ifCopy(sql`null::timestamptz`, fresh.leaseUntil),
      attempts: ifCopy(sql`0`, fresh.attempts),
      resultFileId: sql`(select ${copy.id} from ${copy})`,
      chunksCount: sql`coalesce((select ${copy.chunksCount} from ${copy}), 0)`,
      pageCount: sql`(select ${copy.pageCount} from ${copy})`,
      duplicate: isCopy,
      finishedAt: ifCopy(sql`now()`, sql`null::timestamptz`),
    })
    .returning();
  return toJob(returned(rows, 'enqueue job'));
}

/** A job refused before any work, recorded as failed. */
export async function insertRejected(on: Executor, j: NewJob, f: { code: string; reason: string }) {
  const rows = await on
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
}

export function createJobRecords(db: Db): Pick<JobStore, 'enqueue' | 'recordRejected'> {
  return {
    async enqueue(j, claim, quota) {
      if (!quota) return insertJob(db, j, claim);
      return db.transaction(async (tx) => {
        await lockUserStorage(tx, [j.userId]);
        const refusal = await refusalOf(tx, j, quota);
        return refusal ? insertRejected(tx, j, refusal) : insertJob(tx, j, claim);
      });
    },
    recordRejected: (j, f) => insertRejected(db, j, f),
  };
}

/** The quota's refusal of `j` (null: it fits, or its bytes are already indexed as a duplicate). */
async function refusalOf(tx: Executor, j: NewJob, quota: QuotaCheck) {
  const copy = await tx
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.userId, j.userId), eq(files.sha256, j.sha256), eq(files.status, 'indexed')))
    .limit(1);
  if (copy.length) return null;
  return (await quotaRefusals(tx, [j], quota)).get(j.jobId) ?? null;
}
