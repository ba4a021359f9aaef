// `@rag/core/testing`: the public face plus the internals tests and benchmarks drive directly (domain
// functions, adapters, parsers, the drizzle schema, database openers). Not for services: they use
// `@rag/core` (and `@rag/core/contract` for the wire schemas).
export * from './index';
export * from './contract';

// Beyond the face (`export *` above already carries its names):
export { loadServiceKey } from './adapters/auth/service-key';
export { defaultIngestWorkers } from './compose';
export { EnvSchema } from './env';
export { MSG_NUL_CHARACTER } from './lib/input-rules';
export { inputTreeTransformer } from './lib/input-transformer';
export { createSqlReviewPool } from './adapters/workers/sql-review-pool';
export { diskFault } from './lib/disk-faults';
export { ERROR_TABLE } from './errors';
export { MigrationError, openPglite, openPgliteWorker } from './db/database';
export { DatabaseMessages } from './db/pglite-proxy';
export { sendBytesAsBinary } from './db/pglite-binary-params';
export { BURST, RequestScheduler, type Lane, type RequestKind } from './db/pglite-scheduler';
export { createAnnIndex } from './adapters/vector/pgvector-ann';
export { createEmbeddedMaintenance } from './adapters/postgres/embedded-maintenance';
export { runAsBackground, runAsInteractive, isBackgroundWork } from './lib/work-priority';
export * as schema from './db/schema';
export type { Session, AuthProvider, AuthTokens, AuthUser } from './ports/auth-provider';
export type { Embedder } from './ports/embedder';
export type { VectorIndex, SearchHit, SearchQuery, ChunkRecord } from './ports/vector-index';
export type { Llm, Language, LlmSource, LlmTurn, AnswerInput } from './ports/llm';
export { createLlm } from './adapters/llm/create-llm';
export { createExtractiveLlm } from './adapters/llm/extractive-llm';
export { createOpenAiLlm, type OpenAiLlmOptions } from './adapters/llm/openai-llm';
export * from './domain/ask';
export * from './domain/conversations';
export * from './domain/suggestions';
export * from './domain/files';
export * from './domain/files-content';
export {
  FileProgressParams,
  IndexingStatusResponse,
  IngestProgressSchema,
  ProgressInput,
  UploadAccepted,
  openProgress,
  type ProgressTarget,
} from './domain/jobs';
export type { IngestJob, JobStore, NewJob } from './ports/job-store';
export type { ProgressBus } from './ports/progress-bus';
export { FINAL_STAGES } from './ports/progress-bus';
export * from './domain/categories';
export * from './domain/sql-analysis';
export * from './domain/search';
export * from './adapters/vector';
export * from './adapters/embedding';
export type { Mailer, MailMessage } from './ports/mailer';
export type { Clock } from './ports/clock';
export { noopTelemetry, type Telemetry, type AskPhase } from './ports/telemetry';
export { createPrometheusTelemetry, type TelemetrySources } from './adapters/telemetry';
export { MSG_NO_CREDENTIALS } from './trpc';
export {
  ChatHistoryRow,
  CheckSyncResult,
  CreateChatHistoryInput,
  InsertedEvent,
  SyncRangeInput,
  SyncResult,
  UserChatByEmailInput,
  UserChatByUserInput,
  UserChatEmailParams,
  UserChatList,
  UserChatPage,
  UserChatRow,
  UserChatUserParams,
  SYNC_MESSAGES,
  syncPending,
  syncRange,
  syncAllPending,
  type EmailSyncDeps,
  type InsertedRange,
  type SyncCounts,
  type SyncScope,
} from './domain/email-sync';
export { CHAT_HISTORY_CHANNEL, listenForInserts } from './adapters/postgres/insert-feed';
export * from './domain/auth';
export { createAuthProvider } from './adapters/auth/create-auth-provider';
