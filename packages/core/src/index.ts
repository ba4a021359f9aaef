// `@rag/core`: what the gateway, the e-mail sync service and the client's types need (the router, the
// composition root, the request context and the rules the HTTP edge applies). The contract's schemas
// are `@rag/core/contract`; everything tests and benchmarks reach into is `@rag/core/testing`.
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
export { MSG_NO_CREDENTIALS } from './trpc';
export {
  createDeps,
  createEmailSyncDeps,
  describeAdapters,
  warmUp,
  type DepsOverrides,
  type EmailSyncServiceDeps,
} from './compose';
export type { Deps } from './ports/deps';
export { parseEnv, readProcessEnv, EnvError, type Env } from './env';
export {
  AppError,
  documentedErrorBody,
  findAppError,
  isAppError,
  type AppErrorCode,
  type AppErrorDetails,
} from './errors';
export { findNulCharacter, jsonDepthExceeds, MAX_JSON_DEPTH } from './lib/input-rules';
export { DiskMessages, preferDiskFault } from './lib/disk-faults';
export { EdgeMessages } from './lib/edge-errors';
export {
  readServiceKey,
  serviceKeyAllows,
  serviceKeyNotice,
  type ServiceKey,
} from './adapters/auth/service-key';
export { createAuthProvider } from './adapters/auth/create-auth-provider';
export { openPostgres, type Database, type Db } from './db/database';
export { MSG_ASK_FAILED, type AskEvent } from './domain/ask';
export { uploadError, uploadSpoolDir, type IngestProgress, type IngestStage } from './domain/files';
export { attachmentDisposition, fileContent } from './domain/files-content';
export {
  syncAllPending,
  syncRange,
  SyncResult,
  type EmailSyncDeps,
  type InsertedRange,
  type SyncCounts,
  type SyncScope,
} from './domain/email-sync';
export type { Mailer, MailMessage } from './ports/mailer';
export type { AuthProvider, AuthTokens, AuthUser, Session } from './ports/auth-provider';
