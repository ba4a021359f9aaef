import type { IngestStage } from './progress-bus';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export type IngestJob = {
  id: string;
  userId: string;
  fileId: string;
  uploadId: string | null;
  filename: string;
  extension: string;
  storageKey: string;
  category: string | null;
  size: number;
  sha256: string;
  status: JobStatus;
  stage: IngestStage;
  pagesDone: number | null;
  pageCount: number | null;
  chunksCount: number;
  resultFileId: string | null;
  duplicate: boolean;
  errorCode: string | null;
  reason: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

/** What an upload hands over once its bytes are stored: the file row and its job are created together. */
export type NewJob = {
  jobId: string;
  userId: string;
  fileId: string;
  uploadId: string | null;
  filename: string;
  extension: string;
  storageKey: string;
  category: string | null;
  size: number;
  sha256: string;
};

/** What a user's stored documents take: bytes as uploaded and file rows, any status. */
export type StorageUsage = { bytes: number; files: number };

/**
 * A per-user storage rule, run by the store under the user's storage lock (so concurrent uploads, on
 * any gateway, see each other): given the user's usage before this upload, the refusal to record as
 * the upload's failed job, or null when the file fits. The usage leaves out the user's indexed file of
 * the same name, since the new one replaces it once indexed.
 */
export type QuotaCheck = (
  usage: StorageUsage,
  job: NewJob,
) => { code: string; reason: string } | null;

export type JobProgress = {
  stage: IngestStage;
  pagesDone?: number | null;
  pageCount?: number | null;
  chunksCount?: number;
};

export type JobSummary = {
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** The job running (or next queued) of the user, if any. */
  current: IngestJob | null;
  /** The last job that ended, if any. */
  lastFinished: IngestJob | null;
};

/** A batch member's indexed result, committed with the others in one transaction. */
export type BatchCommit = {
  jobId: string;
  userId: string;
  fileId: string;
  filename: string;
  chunksCount: number;
  pageCount: number | null;
};

export type BatchCommitted = {
  /** Jobs now done, their files indexed. */
  committed: string[];
  /** Jobs no longer held by the worker (taken over): left to their new holder. */
  lost: string[];
  /** Jobs whose file row was deleted meanwhile (reset, delete): still held, to be failed. */
  gone: string[];
  /** Older indexed files of the same names, removed from the table: their chunks and blobs go next. */
  replaced: { userId: string; fileId: string; storageKey: string }[];
};

/** What committing one indexed file with its job decided (see `JobStore.commitIndexed`). */
export type JobCommitOutcome =
  /** The file is indexed and the job done; the user's older indexed files of that name were removed. */
  | { kind: 'committed'; replaced: { fileId: string; storageKey: string }[] }
  /** The worker no longer holds the job (taken over): nothing changed. */
  | { kind: 'lost' }
  /** The file row was deleted meanwhile (reset, delete); the job is still held, nothing changed. */
  | { kind: 'gone' }
  /** A concurrent upload of the same bytes was indexed first (nothing changed): its file. */
  | {
      kind: 'duplicate';
      existing: { fileId: string; chunksCount: number; pageCount: number | null };
    };

/**
 * The durable job table. Claims are atomic across gateways (`FOR UPDATE SKIP LOCKED`); a claim holds a
 * lease that the worker renews; every write by a worker is conditional on still holding the claim.
 */
export interface JobStore {
  /**
   * Creates the file row (processing) and its queued job atomically — or, when the user already has
   * these bytes indexed, only a finished duplicate job answering with that file (`duplicate`, no file
   * row). With `claim`, the new job is inserted already claimed by that worker (running, attempt 1,
   * leased) when no other job is queued, so an idle worker starts it without a claim round trip and no
   * older job is passed over. With `quota`, an upload that does not fit becomes a failed job with the
   * rule's refusal instead (no file row); identical bytes already indexed are never refused.
   */
  enqueue(
    job: NewJob,
    claim?: { workerId: string; leaseSeconds: number },
    quota?: QuotaCheck,
  ): Promise<IngestJob>;
  /**
   * Many uploads at once, in one transaction: each becomes a queued job with its file row, or a finished
   * duplicate job when its user already has those bytes indexed. Answers in input order. With `quota`,
   * uploads are admitted in input order while they fit; the others become failed jobs (as `enqueue`).
   */
  enqueueMany(jobs: NewJob[], quota?: QuotaCheck): Promise<IngestJob[]>;
  /** What the user's stored documents take (every file row, whatever its status). */
  storageUsage(userId: string): Promise<StorageUsage>;
  /**
   * Commits a batch of indexed files in one transaction: the jobs still held by `workerId` become done
   * and their file rows indexed, replacing older indexed files of the same names. Throws (changing
   * nothing) when a file collides with another indexed copy of the same bytes.
   */
  commitBatch(workerId: string, items: BatchCommit[]): Promise<BatchCommitted>;
  /** Records an upload refused before any work (e.g. an unsupported type) as a failed job. */
  recordRejected(job: NewJob, f: { code: string; reason: string }): Promise<IngestJob>;
  /**
   * Commits one indexed file and finishes its job in one statement: while `workerId` holds the job, the
   * file row becomes indexed (replacing the user's older indexed files of the same name) and the job
   * done. The single-file counterpart of `commitBatch`.
   */
  commitIndexed(
    workerId: string,
    item: BatchCommit & { sha256: string },
  ): Promise<JobCommitOutcome>;
  /**
   * Claims up to `limit` queued jobs for `workerId`, oldest first. With `batchBytes`: the oldest queued
   * job and, when it is at most `batchBytes`, the oldest others of at most that size (a batch of small
   * files), in one step.
   */
  claim(
    workerId: string,
    limit: number,
    leaseSeconds: number,
    opts?: { batchBytes?: number },
  ): Promise<IngestJob[]>;
  /** Extends the lease of the worker's jobs; returns the ids it still holds. */
  renew(workerId: string, jobIds: string[], leaseSeconds: number): Promise<string[]>;
  /** Records a stage; false when the claim was lost (lease expired and taken over). */
  progress(jobId: string, workerId: string, p: JobProgress): Promise<boolean>;
  finish(
    jobId: string,
    workerId: string,
    r: { resultFileId: string; chunksCount: number; pageCount: number | null; duplicate: boolean },
  ): Promise<boolean>;
  fail(
    jobId: string,
    workerId: string | null,
    f: { code: string; reason: string },
  ): Promise<boolean>;
  /**
   * {@link fail} for a job whose attempt stored no chunks, its file row removed in the same statement:
   * only while `workerId` holds the job (false: nothing changes). The row is gone once the job says failed.
   */
  failDiscardingFile(
    jobId: string,
    workerId: string,
    f: { code: string; reason: string },
  ): Promise<boolean>;
  /** Puts a job the worker gives up (shutdown) back in the queue (the attempt counts: the retry starts clean). */
  release(jobId: string, workerId: string): Promise<void>;
  /**
   * Jobs whose lease expired (or every running job when `all`, at start-up of the embedded database):
   * requeued while attempts remain, else returned for failing.
   */
  recoverAbandoned(opts: {
    all: boolean;
    maxAttempts: number;
  }): Promise<{ requeued: IngestJob[]; exhausted: IngestJob[] }>;
  get(userId: string, jobId: string): Promise<IngestJob | null>;
  /** The user's jobs among these ids (any order). */
  getMany(userId: string, jobIds: string[]): Promise<IngestJob[]>;
  /** The newest job of a user's file (by the file id the upload answered, ours or a duplicate's). */
  latestForFile(userId: string, fileId: string): Promise<IngestJob | null>;
  latestForUpload(userId: string, uploadId: string): Promise<IngestJob | null>;
  summary(userId: string): Promise<JobSummary>;
  /** File ids with a queued or running job (start-up reconciliation keeps their rows). */
  liveFileIds(): Promise<Set<string>>;
  /** Deletes finished jobs older than the given date; returns how many. */
  prune(before: Date): Promise<number>;
}
