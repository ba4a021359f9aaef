/** Reads of the job table for users (status, waits, summaries) and for housekeeping. */
import { and, asc, count, desc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { ingestJobs } from '../../db/schema/jobs';
import type { JobStatus, JobStore } from '../../ports/job-store';
import { firstJob, toJob } from './job-rows';
import { uuidArray } from './sql-helpers';

type JobQueries = Pick<
  JobStore,
  'get' | 'getMany' | 'latestForFile' | 'latestForUpload' | 'summary' | 'liveFileIds' | 'prune'
>;

export function createJobQueries(db: Db): JobQueries {
  const jobs = () => db.select().from(ingestJobs);
  const ofUser = (userId: string) => eq(ingestJobs.userId, userId);
  return {
    get: (userId, jobId) => firstJob(jobs().where(and(ofUser(userId), eq(ingestJobs.id, jobId)))),
    async getMany(userId, jobIds) {
      if (jobIds.length === 0) return [];
      // One array parameter: a bulk wait re-reads thousands of ids.
      const rows = await jobs().where(
        and(ofUser(userId), sql`${ingestJobs.id} = any(${uuidArray(jobIds)})`),
      );
      return rows.map(toJob);
    },
    latestForFile: (userId, fileId) =>
      firstJob(
        jobs()
          .where(
            and(
              ofUser(userId),
              or(eq(ingestJobs.fileId, fileId), eq(ingestJobs.resultFileId, fileId)),
            ),
          )
          .orderBy(desc(ingestJobs.createdAt))
          .limit(1),
      ),
    latestForUpload: (userId, uploadId) =>
      firstJob(
        jobs()
          .where(and(ofUser(userId), eq(ingestJobs.uploadId, uploadId)))
          .orderBy(desc(ingestJobs.createdAt))
          .limit(1),
      ),
    async summary(userId) {
      const counts = await db
        .select({ status: ingestJobs.status, n: count() })
        .from(ingestJobs)
        .where(ofUser(userId))
        .groupBy(ingestJobs.status);
      const n = (s: JobStatus) => counts.find((c) => c.status === s)?.n ?? 0;
      const current = await firstJob(
        jobs()
          .where(and(ofUser(userId), inArray(ingestJobs.status, ['queued', 'running'])))
          .orderBy(sql`${ingestJobs.status} = 'running' desc`, asc(ingestJobs.createdAt))
          .limit(1),
      );
      const lastFinished = await firstJob(
        jobs()
          .where(and(ofUser(userId), isNotNull(ingestJobs.finishedAt)))
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
