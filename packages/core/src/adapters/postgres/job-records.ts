/** Job rows written when an upload is accepted: queued work, or a finished answer without work. */
import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type { JobStore } from '../../ports/job-store';
import { jobValues, toJob } from './job-rows';
import { returned } from './sql-helpers';

export function createJobRecords(
  db: Db,
): Pick<JobStore, 'enqueue' | 'recordDuplicate' | 'recordRejected'> {
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
        const rows = await tx
          .insert(ingestJobs)
          .values({ ...jobValues(j), status: 'queued', stage: 'uploaded' })
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
