/**
 * The job table on PGlite and Postgres alike (the same SQL; PGlite simply never contends), assembled
 * from its parts: the rows an upload writes, a worker's leases, the reads, and the batch writes.
 */
import type { Db } from '../../db/database';
import type { JobStore } from '../../ports/job-store';
import { commitBatch, enqueueMany } from './job-batches';
import { commitIndexed } from './job-commit';
import { createJobLeases } from './job-leases';
import { createJobQueries } from './job-queries';
import { createJobRecords } from './job-records';
import { toJob } from './job-rows';
import { storageUsage } from './storage-usage';

export function createPostgresJobStore(db: Db): JobStore {
  return {
    ...createJobRecords(db),
    enqueueMany: (jobs, quota) => enqueueMany(db, jobs, toJob, quota),
    storageUsage: (userId) => storageUsage(db, userId),
    commitBatch: (workerId, items) => commitBatch(db, workerId, items),
    commitIndexed: (workerId, item) => commitIndexed(db, workerId, item),
    ...createJobLeases(db),
    ...createJobQueries(db),
  };
}
