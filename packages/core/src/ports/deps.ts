import type { Logger } from 'pino';

import type { ServiceKey } from '../adapters/auth/service-key';
import type { Database, Db } from '../db/database';
import type { JobRunner } from '../domain/jobs/job-runner';
import type { Env } from '../env';
import type { AskTargetLookup } from './ask-target-lookup';
import type { AuthProvider } from './auth-provider';
import type { BlobStore } from './blob-store';
import type { ChunkStore } from './chunk-store';
import type { Clock } from './clock';
import type { ConversationStore } from './conversation-store';
import type { EmailSyncStore, InsertFeed } from './email-sync-store';
import type { Embedder } from './embedder';
import type { FileStore } from './file-store';
import type { IngestPool } from './ingest-pool';
import type { JobStore } from './job-store';
import type { Llm } from './llm';
import type { LoginAttempts } from './login-attempts';
import type { Mailer } from './mailer';
import type { MessageStore } from './message-store';
import type { ProgressBus } from './progress-bus';
import type { Telemetry } from './telemetry';
import type { VectorIndex } from './vector-index';
import type { SqlReviewer } from './sql-reviewer';
import type { UserSlots } from '../lib/user-slots';

/** Everything a domain function may use, as ports; compose.ts is the one place that builds it. */
export type Deps = {
  env: Env;
  log: Logger;
  clock: Clock;
  database: Database;
  db: Db;
  /** Absolute data directory (embedded database, uploads, generated secrets). */
  dataDir: string;
  auth: AuthProvider;
  /** Login throttle counters (shared by every gateway on the database). */
  loginAttempts: LoginAttempts;
  conversations: ConversationStore;
  messages: MessageStore;
  /** The e-mail sync's tables (chat_history → user_chat) and their insert notifications. */
  emailSync: EmailSyncStore;
  insertFeed: InsertFeed;
  /** Bearer key of the personal-data routes (SERVICE_API_KEY or generated under DATA_DIR/secrets). */
  serviceKey: ServiceKey;
  mailer: Mailer;
  /** The `files` table: one row per upload (its chunks are in `vectorIndex`, its bytes in `blobs`). */
  files: FileStore;
  /** The ask's owned files and conversation, read in one round trip. */
  askTargets: AskTargetLookup;
  blobs: BlobStore;
  embedder: Embedder;
  vectorIndex: VectorIndex;
  llm: Llm;
  /** Metrics (Prometheus at /metrics by default). */
  telemetry: Telemetry;
  /** Durable ingestion jobs, their progress fan-out, the worker pool and this gateway's job loop. */
  jobs: JobStore;
  /** Indexing's records next to the vector index (file chunk counts, the embedder signature). */
  chunks: ChunkStore;
  progress: ProgressBus;
  ingestPool: IngestPool;
  jobRunner: JobRunner;
  /** Each user's answers in progress on this gateway (ASK_CONCURRENCY_PER_USER). */
  askSlots: UserSlots;
  /** `sql.analyze`'s parse and review, off the request thread. */
  sqlReviewer: SqlReviewer;
  close(): Promise<void>;
};
