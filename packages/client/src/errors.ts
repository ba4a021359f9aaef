import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';

import type { AppErrorCode, AppErrorDetails, AppRouter } from './server-types.js';

/** Failures that happen on the client's side of the wire (no server verdict). */
export type ClientErrorCode = 'NETWORK_ERROR' | 'CONNECTION_LOST' | 'ABORTED';
export type RagErrorCode = AppErrorCode | ClientErrorCode;

export const MSG_NETWORK_ERROR = 'Không thể kết nối tới máy chủ';
export const MSG_ABORTED = 'Yêu cầu đã bị hủy';
/** Shown when an answer's connection drops: the question is not sent again. */
export const ASK_CONNECTION_LOST =
  'Mất kết nối trong khi trả lời; câu hỏi không được gửi lại (phần trả lời dở dang đã được lưu trong cuộc hội thoại).';

/** tRPC's code names to the domain's, for errors the server raised without a domain code (e.g. validation). */
const FROM_TRPC: Record<string, AppErrorCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE_CONTENT: 'UNPROCESSABLE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  BAD_GATEWAY: 'UPSTREAM_FAILED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
  GATEWAY_TIMEOUT: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

/** Statuses that share a tRPC code with another domain code (507 and 503 are both SERVICE_UNAVAILABLE). */
function fromStatus(status: number | undefined): AppErrorCode | undefined {
  return status === 507 ? 'INSUFFICIENT_STORAGE' : undefined;
}

/** One field the server refused, as its validation reported it. */
export type RagIssue = { path: string[]; message: string; code: string };

type ErrorData = {
  code?: string;
  httpStatus?: number;
  path?: string;
  appCode?: AppErrorCode | null;
  body?: Record<string, unknown> | null;
  details?: AppErrorDetails | null;
  issues?: RagIssue[] | null;
};

/**
 * Every error the client throws or reports. `message` is the server's user-facing (Vietnamese) text;
 * `code` is the domain code (`NOT_FOUND`, `UNAUTHORIZED`, …) or a client-side one (`NETWORK_ERROR`,
 * `CONNECTION_LOST`, `ABORTED`); `status` is the HTTP status (0 when no response arrived). It extends
 * tRPC's `TRPCClientError`, so tRPC and React Query tooling keep working with it.
 */
export class RagClientError extends TRPCClientError<AppRouter> {
  readonly code: RagErrorCode;
  readonly status: number;
  /** The documented error body when the contract defines one (e.g. ask's `available_file_ids`). */
  readonly body: Record<string, unknown> | null;
  /**
   * The typed facts the server attached to the failure: `{ kind: 'throttled', retryAfterSeconds }`
   * on a refused sign-in, `{ kind: 'no_session' }` from `auth.session`; null otherwise.
   */
  readonly details: AppErrorDetails | null;
  /** Which fields failed validation (for `UNPROCESSABLE` / `BAD_REQUEST` from input checks). */
  readonly issues: RagIssue[] | null;
  /** The procedure path, e.g. `files.upload`, when known. */
  readonly path: string | null;

  constructor(
    message: string,
    init: {
      code: RagErrorCode;
      status: number;
      body?: Record<string, unknown> | null;
      details?: AppErrorDetails | null;
      issues?: RagIssue[] | null;
      path?: string | null;
      cause?: unknown;
      source?: TRPCClientError<AppRouter>;
    },
  ) {
    const cause = init.cause instanceof Error ? init.cause : undefined;
    super(
      message,
      init.source?.shape
        ? { cause, result: { error: init.source.shape }, meta: init.source.meta }
        : { cause, meta: init.source?.meta },
    );
    // TRPCClientError's constructor pins its own prototype; restore ours.
    Object.setPrototypeOf(this, RagClientError.prototype);
    this.name = 'RagClientError';
    this.code = init.code;
    this.status = init.status;
    this.body = init.body ?? null;
    this.details = init.details ?? null;
    this.issues = init.issues ?? null;
    this.path = init.path ?? null;
  }

  /** Seconds to wait before trying again, when the server said so (a throttle); null otherwise. */
  get retryAfterSeconds(): number | null {
    return this.details?.kind === 'throttled' ? this.details.retryAfterSeconds : null;
  }
}

/** Turns anything a call can fail with into a RagClientError (returned as is when it already is one). */
export function toRagClientError(err: unknown): RagClientError {
  if (err instanceof RagClientError) return err;
  if (isAbort(err))
    return new RagClientError(MSG_ABORTED, { code: 'ABORTED', status: 0, cause: err });
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? undefined) as ErrorData | undefined;
    if (!data) {
      return new RagClientError(MSG_NETWORK_ERROR, {
        code: 'NETWORK_ERROR',
        status: 0,
        cause: err.cause ?? err,
        source: err as TRPCClientError<AppRouter>,
      });
    }
    return new RagClientError(err.message, {
      code: data.appCode ?? fromStatus(data.httpStatus) ?? FROM_TRPC[data.code ?? ''] ?? 'INTERNAL',
      status: data.httpStatus ?? 0,
      body: data.body,
      details: data.details,
      issues: data.issues,
      path: data.path ?? null,
      cause: err.cause,
      source: err as TRPCClientError<AppRouter>,
    });
  }
  return new RagClientError(MSG_NETWORK_ERROR, { code: 'NETWORK_ERROR', status: 0, cause: err });
}

function isAbort(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    if ((cur as { name?: string }).name === 'AbortError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** True when `err` is a client error carrying the given code (any domain code when omitted). */
export function isRagClientError(err: unknown, code?: RagErrorCode): err is RagClientError {
  if (!(err instanceof TRPCClientError)) return false;
  const e = toRagClientError(err);
  return code ? e.code === code : true;
}

/** Same as `isRagClientError` for domain codes only (kept for earlier callers). */
export function isAppError(err: unknown, code?: AppErrorCode): err is RagClientError {
  if (!(err instanceof TRPCClientError)) return false;
  const appCode = (err.data as ErrorData | undefined)?.appCode;
  return code ? appCode === code : Boolean(appCode);
}

/** A link that turns every failure into a `RagClientError` (place it first in `links`). */
export const ragErrorLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) => {
      const sub = next(op).subscribe({
        next: (value) => observer.next(value),
        error: (err) => observer.error(toRagClientError(err)),
        complete: () => observer.complete(),
      });
      return () => sub.unsubscribe();
    });
