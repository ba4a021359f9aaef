/** The ingest_jobs row and its port shape, shared by the job store's parts (records, leases, queries). */
import type { ingestJobs } from '../../db/schema/jobs';
import type { IngestJob, JobStatus, NewJob } from '../../ports/job-store';
import type { IngestStage } from '../../ports/progress-bus';

export type JobRow = typeof ingestJobs.$inferSelect;

export function toJob(r: JobRow): IngestJob {
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

/** The columns an upload fixes when its job row is written (status and stage are the writer's). */
export const jobValues = (j: NewJob) => ({
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

/** The first job of a query, or null. */
export async function firstJob(rows: Promise<JobRow[]>): Promise<IngestJob | null> {
  const [r] = await rows;
  return r ? toJob(r) : null;
}
