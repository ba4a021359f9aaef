import type { IngestJob } from './job-store';

/** Stages of an ingestion job, in order; `indexed` and `failed` are final. */
export type IngestStage = 'uploaded' | 'parsed' | 'chunked' | 'embedded' | 'indexed' | 'failed';

/** One progress event of an upload, as every subscriber (any gateway) sees it. */
export type IngestProgress = {
  stage: IngestStage;
  jobId: string;
  /** The client-chosen upload id, when one was given. */
  uploadId: string | null;
  fileId: string | null;
  filename: string;
  /** Work done and its total where known: pages for paged documents, else chunks (total unknown). */
  done: number | null;
  total: number | null;
  /** Pages read so far and in total (paged documents). */
  pagesDone?: number;
  pageCount?: number | null;
  /** Chunks produced / embedded+stored so far. */
  chunks?: number;
  /** Why it failed (the user-facing message). */
  reason?: string;
  /** Final events of this process's runner: the job as its commit left it (see FINISHED_JOB). */
  [FINISHED_JOB]?: FinishedJob;
};

export const FINAL_STAGES: ReadonlySet<IngestStage> = new Set(['indexed', 'failed']);

/** What a waiting upload answers with: the fields of a finished job row that `jobOutcome` reads. */
export type FinishedJob = Pick<
  IngestJob,
  | 'id'
  | 'status'
  | 'fileId'
  | 'resultFileId'
  | 'filename'
  | 'chunksCount'
  | 'category'
  | 'pageCount'
  | 'duplicate'
  | 'errorCode'
  | 'reason'
>;

/**
 * The finished job a runner attaches to the final event it publishes, for listeners in its own
 * process: a symbol key, so it never reaches the wire (NOTIFY payloads, SSE), where the row is read.
 */
export const FINISHED_JOB: unique symbol = Symbol('finishedJob');

export type ProgressListener = (userId: string, event: IngestProgress) => void;

export type ListenOptions = {
  /**
   * Called once the bus listens again after losing its connection (Postgres LISTEN): events published
   * while it was down are never delivered, so whoever needs them re-reads what they stand for.
   */
  onReconnect?: () => void;
};

/**
 * Fan-out of ingestion progress to every subscriber of every gateway: in-process on one node,
 * Postgres LISTEN/NOTIFY when gateways share a database.
 */
export interface ProgressBus {
  readonly name: string;
  publish(userId: string, event: IngestProgress): Promise<void>;
  /**
   * Resolves once listening: events published afterwards are delivered, except while a lost connection
   * is re-established (`onReconnect` says when that happened). Returns `stop`.
   */
  listen(listener: ProgressListener, opts?: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
