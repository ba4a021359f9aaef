/**
 * The only door to the server's types. In the workspace it re-exports them from `@rag/core`; the
 * package build replaces this module's declaration with a generated, self-contained one
 * (`scripts/emit-server-types.ts`), so installed clients never load server code.
 */
export type {
  AppErrorCode,
  AppErrorDetails,
  AppRouter,
  AskEvent,
  IngestProgress,
  IngestStage,
} from '@rag/core';
