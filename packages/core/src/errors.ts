import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/** The closed set of failures the domain can report. */
export type AppErrorCode =
  | 'BAD_REQUEST' // 400: the request is understood but refused (documented 400s)
  | 'UNAUTHORIZED' // 401: no or bad credentials
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404: unknown, or someone else's
  | 'CONFLICT' // 409
  | 'PAYLOAD_TOO_LARGE' // 413
  | 'UNPROCESSABLE' // 422: validation failure
  | 'RATE_LIMITED' // 429
  | 'UPSTREAM_FAILED' // 502: a provider answered badly
  | 'UNAVAILABLE' // 503: a provider or service cannot be reached / is not configured
  | 'INSUFFICIENT_STORAGE' // 507: the server's disk is full
  | 'INTERNAL'; // 500

export const ERROR_TABLE: Record<AppErrorCode, { trpc: TRPC_ERROR_CODE_KEY; http: number }> = {
  BAD_REQUEST: { trpc: 'BAD_REQUEST', http: 400 },
  UNAUTHORIZED: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  CONFLICT: { trpc: 'CONFLICT', http: 409 },
  PAYLOAD_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', http: 413 },
  UNPROCESSABLE: { trpc: 'UNPROCESSABLE_CONTENT', http: 422 },
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  UPSTREAM_FAILED: { trpc: 'BAD_GATEWAY', http: 502 },
  UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  // tRPC has no 507: its transport answers 503, the error's data.httpStatus says 507.
  INSUFFICIENT_STORAGE: { trpc: 'SERVICE_UNAVAILABLE', http: 507 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
};

/**
 * The one error type of the domain. `message` is user-facing (the contract's Vietnamese text);
 * `body`, when set, replaces the default `{"detail": message}` REST body (documented bodies such as
 * the upload error or the ask 400 with `available_file_ids`).
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly options: {
      body?: Record<string, unknown>;
      cause?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].http;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Finds an AppError in an error or its cause chain (tRPC wraps thrown errors). */
export function findAppError(e: unknown): AppError | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof AppError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
