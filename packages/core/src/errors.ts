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
 * Typed facts a failure carries beyond its code and message. The domain states them; the edges
 * choose what they become on the wire (the gateway's headers, the documented error bodies).
 */
export type AppErrorDetails =
  /** A throttle refused the attempt; another may pass after this many seconds. */
  | { kind: 'throttled'; retryAfterSeconds: number }
  /** `auth.session` without a valid session (the contract answers it with a body of its own). */
  | { kind: 'no_session' }
  /** An upload refused (bad type, too large, unreadable): the contract names the file. */
  | { kind: 'upload_refused'; filename: string }
  /** A delete filter that does not follow the documented shape. */
  | { kind: 'filter_invalid' }
  /** A question with nothing to ask about: the contract lists the files the caller could name. */
  | { kind: 'no_file'; availableFiles: { id: string; filename: string }[] };

export type AppErrorOptions = {
  details?: AppErrorDetails;
  /** What went wrong internally (for logs); never shown to the user. */
  internal?: string;
  cause?: unknown;
};

/**
 * The one error type of the domain. `message` is the user-facing text (the contract's Vietnamese
 * text, also `userMessage`); `internal` and `cause` say what happened for the logs; `details` carry
 * typed facts from which the gateway picks headers and bodies.
 */
export class AppError extends Error {
  readonly details: AppErrorDetails | undefined;
  readonly internal: string | undefined;

  constructor(
    readonly code: AppErrorCode,
    userMessage: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(userMessage, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
    this.internal = options.internal;
  }

  /** The text a user may see (the same as `message`). */
  get userMessage(): string {
    return this.message;
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].http;
  }
}

/**
 * The documented error body of a failure, rendered from its typed details for both edges (the
 * gateway's REST response, tRPC's `data.body`); null when the plain `{"detail": message}` applies.
 * Shapes (and key order, which is on the wire) are the contract's.
 */
export function documentedErrorBody(app: AppError): Record<string, unknown> | null {
  const message = app.message;
  const details = app.details;
  switch (details?.kind) {
    case 'no_session':
      return { is_authenticated: false, message };
    case 'upload_refused':
      return { filename: details.filename, status: 'error', message };
    case 'filter_invalid':
      return { status: 'error', message };
    case 'no_file':
      return {
        status: 'error',
        message,
        available_file_ids: details.availableFiles.map((f) => f.id),
        available_files: details.availableFiles.map((f) => [f.filename, f.id]),
      };
    default:
      return null;
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
