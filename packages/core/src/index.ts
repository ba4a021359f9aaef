import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import { appRouter, type AppRouter } from './routers/_app';
import { createCallerFactory } from './trpc';

export { appRouter, type AppRouter };
export const createCaller = createCallerFactory(appRouter);
export type AppCaller = ReturnType<typeof createCaller>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export {
  createContext,
  hasForwardingHeaders,
  readBearer,
  type Context,
  type Caller,
} from './context';
export {
  loadServiceKey,
  readServiceKey,
  serviceKeyAllows,
  serviceKeyNotice,
  type ServiceKey,
} from './adapters/auth/service-key';
export {
  createDeps,
  createEmailSyncDeps,
  defaultIngestWorkers,
  describeAdapters,
  type DepsOverrides,
  type EmailSyncServiceDeps,
} from './compose';
export type { Deps } from './ports/deps';
export { parseEnv, readProcessEnv, EnvError, EnvSchema, type Env } from './env';
export {
  findNulCharacter,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  MSG_NUL_CHARACTER,
} from './lib/input-rules';
export { diskFault, DiskMessages, preferDiskFault } from './lib/disk-faults';
export {
  AppError,
  documentedErrorBody,
  ERROR_TABLE,
  findAppError,
  isAppError,
  type AppErrorCode,
  type AppErrorDetails,
} from './errors';
export {
  MigrationError,
  openPglite,
  openPgliteWorker,
  openPostgres,
  type Database,
  type Db,
} from './db/database';
export { DatabaseMessages } from './db/pglite-proxy';
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
  JOB_MESSAGES,
  ProgressInput,
  UploadAccepted,
  openProgress,
  type ProgressTarget,
} from './domain/jobs';
export type { IngestJob, JobStore } from './ports/job-store';
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
