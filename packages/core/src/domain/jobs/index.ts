export {
  createJobRunner,
  failExhausted,
  type JobRunner,
  type JobRunnerOptions,
} from './job-runner';
export { runJob, failJob, type JobDeps } from './run-job';
export { openProgress, type ProgressTarget } from './progress-stream';
export { indexingStatus } from './indexing-status';
export {
  FileProgressParams,
  IndexingStatusResponse,
  IngestProgressSchema,
  ProgressInput,
  UploadAccepted,
} from './schemas';
export { recoverJobs } from './recover-jobs';
