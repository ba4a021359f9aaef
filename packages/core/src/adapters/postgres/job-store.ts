import {
  and,
  asc,
  count,
  desc,
  eq,
  inArray,
  isNotNull,
  lt,
  lte,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type { IngestJob, JobStatus, JobStore, NewJob } from '../../ports/job-store';
import type { IngestStage } from '../../ports/progress-bus';
import { commitBatch, enqueueMany } from './job-batches';

type Row = typeof ingestJobs.$inferSelect;

export function toJob(r: Row): IngestJob {
  return {
    id: r.id,
    userId: r.userId,
    fileId: r.fileId,
    uploadId: r.uploadId,
    filename: r.filename,
    extension: r.extension,
    storageKey: r.storageKey,
    category: r.category,
    size: r.size,
    sha256: r.sha256,
    status: r.status as JobStatus,
    stage: r.stage as IngestStage,
    pagesDone: r.pagesDone,
    pageCount: r.pageCount,
    chunksCount: r.chunksCount,
    resultFileId: r.resultFileId,
    duplicate: r.duplicate,
    errorCode: r.errorCode,
    reason: r.reason,
    attempts: r.attempts,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
  };
}

const leaseEnd = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;
const heldBy = (jobId: string, workerId: string) =>
  and(
    eq(ingestJobs.id, jobId),
    eq(ingestJobs.claimedBy, workerId),
    eq(ingestJobs.status, 'running'),
  );

/** The job table on PGlite and Postgres alike (the same SQL; PGlite simply never contends). */
export function createPostgresJobStore(db: Db): JobStore {
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
  const jobValues = (j: NewJob) => ({
    id: j.jobId,
    userId: j.userId,
    fileId: j.fileId,
    uploadId: j.uploadId,
    filename: j.filename,
    extension: j.extension,
    storageKey: j.storageKey,
    category: j.category,
    size: j.size,
    sha256: j.sha256,
  });
  const one = async (rows: Promise<Row[]>) => {
    const [r] = await rows;
    return r ? toJob(r) : null;
  };
  return {
    async enqueue(j) {
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
        const [row] = await tx
          .insert(ingestJobs)
          .values({ ...jobValues(j), status: 'queued', stage: 'uploaded' })
          .returning();
        return toJob(row!);
      });
    },
    enqueueMany: (jobs) => enqueueMany(db, jobs, toJob),
    commitBatch: (workerId, items) => commitBatch(db, workerId, items),
    async recordDuplicate(j, existing) {
      const [row] = await db
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
      return toJob(row!);
    },
    async recordRejected(j, f) {
      const [row] = await db
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
      return toJob(row!);
    },
    async claim(workerId, limit, leaseSeconds, opts) {
      if (limit <= 0) return [];
      const next = db
        .select({ id: ingestJobs.id })
        .from(ingestJobs)
        .where(
          and(
            eq(ingestJobs.status, 'queued'),
            opts?.maxBytes === undefined ? undefined : lte(ingestJobs.size, opts.maxBytes),
          ),
        )
        .orderBy(asc(ingestJobs.createdAt))
        .limit(limit)
        .for('update', { skipLocked: true });
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
    progress: (jobId, workerId, p) =>
      updateWhere(heldBy(jobId, workerId), {
        stage: p.stage,
        ...(p.pagesDone !== undefined ? { pagesDone: p.pagesDone } : {}),
        ...(p.pageCount !== undefined ? { pageCount: p.pageCount } : {}),
        ...(p.chunksCount !== undefined ? { chunksCount: p.chunksCount } : {}),
      }),
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
    async release(jobId, workerId) {
      await db
        .update(ingestJobs)
        .set({
          status: 'queued',
          stage: 'uploaded',
          claimedBy: null,
          leaseUntil: null,
          updatedAt: sql`now()`,
        })
        .where(heldBy(jobId, workerId));
    },
    async recoverAbandoned({ all, maxAttempts }) {
      const abandoned = and(
        eq(ingestJobs.status, 'running'),
        all ? undefined : lt(ingestJobs.leaseUntil, sql`now()`),
      );
      return db.transaction(async (tx) => {
        const requeued = await tx
          .update(ingestJobs)
          .set({
            status: 'queued',
            stage: 'uploaded',
            claimedBy: null,
            leaseUntil: null,
            chunksCount: 0,
            pagesDone: null,
            updatedAt: sql`now()`,
          })
          .where(and(abandoned, lt(ingestJobs.attempts, maxAttempts)))
          .returning();
        const exhausted = await tx.select().from(ingestJobs).where(abandoned);
        return { requeued: requeued.map(toJob), exhausted: exhausted.map(toJob) };
      });
    },
    get: (userId, jobId) =>
      one(
        db
          .select()
          .from(ingestJobs)
          .where(and(eq(ingestJobs.userId, userId), eq(ingestJobs.id, jobId))),
      ),
    async getMany(userId, jobIds) {
      if (jobIds.length === 0) return [];
      const rows = await db
        .select()
        .from(ingestJobs)
        // One array parameter: a bulk wait re-reads thousands of ids.
        .where(
          and(
            eq(ingestJobs.userId, userId),
            sql`${ingestJobs.id} = any(${sql.param(jobIds)}::uuid[])`,
          ),
        );
      return rows.map(toJob);
    },
    latestForFile: (userId, fileId) =>
      one(
        db
          .select()
          .from(ingestJobs)
          .where(
            and(
              eq(ingestJobs.userId, userId),
              or(eq(ingestJobs.fileId, fileId), eq(ingestJobs.resultFileId, fileId)),
            ),
          )
          .orderBy(desc(ingestJobs.createdAt))
          .limit(1),
      ),
    latestForUpload: (userId, uploadId) =>
      one(
        db
          .select()
          .from(ingestJobs)
          .where(and(eq(ingestJobs.userId, userId), eq(ingestJobs.uploadId, uploadId)))
          .orderBy(desc(ingestJobs.createdAt))
          .limit(1),
      ),
    async summary(userId) {
      const counts = await db
        .select({ status: ingestJobs.status, n: count() })
        .from(ingestJobs)
        .where(eq(ingestJobs.userId, userId))
        .groupBy(ingestJobs.status);
      const n = (s: JobStatus) => counts.find((c) => c.status === s)?.n ?? 0;
      const current = await one(
        db
          .select()
          .from(ingestJobs)
          .where(
            and(eq(ingestJobs.userId, userId), inArray(ingestJobs.status, ['queued', 'running'])),
          )
          .orderBy(sql`${ingestJobs.status} = 'running' desc`, asc(ingestJobs.createdAt))
          .limit(1),
      );
      const lastFinished = await one(
        db
          .select()
          .from(ingestJobs)
          .where(and(eq(ingestJobs.userId, userId), isNotNull(ingestJobs.finishedAt)))
          .orderBy(desc(ingestJobs.finishedAt), desc(ingestJobs.createdAt))
          .limit(1),
      );
      return {
        queued: n('queued'),
        running: n('running'),
        done: n('done'),
        failed: n('failed'),
        current,
        lastFinished,
      };
    },
    async liveFileIds() {
      const rows = await db
        .select({ fileId: ingestJobs.fileId })
        .from(ingestJobs)
        .where(inArray(ingestJobs.status, ['queued', 'running']));
      return new Set(rows.map((r) => r.fileId));
    },
    async prune(before) {
      const rows = await db
        .delete(ingestJobs)
        .where(
          and(inArray(ingestJobs.status, ['done', 'failed']), lt(ingestJobs.finishedAt, before)),
        )
        .returning({ id: ingestJobs.id });
      return rows.length;
    },
  };
}
