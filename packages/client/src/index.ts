import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from './server-types.js';

export type {
  AppErrorCode,
  AppErrorDetails,
  AppRouter,
  AskEvent,
  IngestProgress,
  IngestStage,
} from './server-types.js';
/** Every procedure's input, e.g. `RouterInputs['ask']['stream']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, e.g. `RouterOutputs['files']['list']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export {
  createRagClient,
  ragLinks,
  type EventSourceLike,
  type RagClient,
  type RagClientOptions,
} from './create-client.js';
export { askOnceLink } from './ask-once-link.js';
export {
  ASK_CONNECTION_LOST,
  MSG_ABORTED,
  MSG_NETWORK_ERROR,
  RagClientError,
  isAppError,
  isRagClientError,
  ragErrorLink,
  toRagClientError,
  type ClientErrorCode,
  type RagErrorCode,
  type RagIssue,
} from './errors.js';
export {
  AskStream,
  askStream,
  type AskEndData,
  type AskEventSource,
  type AskErrorData,
  type AskInput,
  type AskSource,
  type AskSourcesData,
  type AskStartData,
} from './ask-stream.js';
export {
  uploadFile,
  type UploadFileOptions,
  type UploadProgress,
  type UploadResult,
} from './upload-file.js';
export { TRPCClientError } from '@trpc/client';
export { createRestClient, type RestClient, type RestClientOptions } from './rest-client.js';
