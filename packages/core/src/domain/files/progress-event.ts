import type { IngestJob } from '../../ports/job-store';
import type { IngestProgress, IngestStage } from '../../ports/progress-bus';

/** done/total: pages for paged documents, else chunks (their total is unknown until the end). */
export function doneTotal(p: {
  stage: IngestStage;
  pagesDone?: number | null;
  pageCount?: number | null;
  chunks?: number;
}): { done: number | null; total: number | null } {
  if (p.stage === 'indexed' && p.pageCount) return { done: p.pageCount, total: p.pageCount };
  if (p.pageCount) return { done: p.pagesDone ?? 0, total: p.pageCount };
  if (p.stage === 'indexed') return { done: p.chunks ?? null, total: p.chunks ?? null };
  return { done: p.chunks ?? null, total: null };
}

/** The event describing a job row's current state (snapshots, finished jobs, recovery). */
export function jobEvent(job: IngestJob): IngestProgress {
  const base = {
    stage: job.stage,
    jobId: job.id,
    uploadId: job.uploadId,
    fileId: job.status === 'failed' ? null : (job.resultFileId ?? job.fileId),
    filename: job.filename,
    pageCount: job.pageCount,
    chunks: job.chunksCount,
    ...(job.pagesDone !== null ? { pagesDone: job.pagesDone } : {}),
    ...(job.reason ? { reason: job.reason } : {}),
  };
  return { ...base, ...doneTotal(base) };
}
