import type { IngestJob } from '../../ports/job-store';
import type { IngestProgress, IngestStage } from '../../ports/progress-bus';
import type { JobDeps } from './run-job';
import { doneTotal } from '../files';

export type JobPublisher = {
  publish(stage: IngestStage, p?: Partial<IngestProgress>): void;
  /** Resolves when every event published so far went out. */
  flushed(): Promise<void>;
};

/** A job's progress events, sent one after another so every gateway sees them in order. */
export function jobPublisher(
  deps: Pick<JobDeps, 'progress' | 'log'>,
  job: IngestJob,
): JobPublisher {
  let published = Promise.resolve();
  return {
    publish(stage, p = {}) {
      const event = {
        stage,
        jobId: job.id,
        uploadId: job.uploadId,
        fileId: job.fileId,
        filename: job.filename,
        ...p,
      };
      published = published
        .then(() => deps.progress.publish(job.userId, { ...event, ...doneTotal(event) }))
        .catch((err: unknown) => deps.log.warn({ err, jobId: job.id }, 'progress publish failed'));
    },
    flushed: () => published,
  };
}
