import { RagClientError, type RagErrorCode, type RagIssue } from './errors.js';
import type { AppErrorDetails } from './server-types.js';

const BY_STATUS: Record<number, RagErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  502: 'UPSTREAM_FAILED',
  503: 'UNAVAILABLE',
  507: 'INSUFFICIENT_STORAGE',
};
const MSG_INVALID = 'Dữ liệu không hợp lệ';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The contract's error bodies (`{"detail": …}`, documented bodies with `message`, 422 lists). */
export async function restError(res: Response, path: string): Promise<RagClientError> {
  const parsed: unknown = await res.json().catch(() => null);
  const body = isRecord(parsed) ? parsed : null;
  const detail = body?.detail;
  const issues = Array.isArray(detail) ? detail.map(toIssue) : null;
  const message =
    typeof detail === 'string'
      ? detail
      : typeof body?.message === 'string'
        ? body.message
        : issues
          ? MSG_INVALID
          : res.statusText;
  return new RagClientError(message, {
    code: BY_STATUS[res.status] ?? 'INTERNAL',
    status: res.status,
    body,
    details: restDetails(res, body),
    issues,
    path,
  });
}

/** One FastAPI-style 422 entry (`{loc, msg, type}`) as the client's issue. */
function toIssue(entry: unknown): RagIssue {
  const d = isRecord(entry) ? entry : {};
  return {
    path: Array.isArray(d.loc) ? d.loc.map((part: unknown) => String(part)) : [],
    message: typeof d.msg === 'string' ? d.msg : '',
    code: typeof d.type === 'string' ? d.type : '',
  };
}

/**
 * REST renders a failure's typed details as headers and documented bodies (the gateway's
 * error-headers.ts); read them back so both transports report the same `details`.
 */
function restDetails(res: Response, body: Json | null): AppErrorDetails | null {
  const retryAfter = retryAfterSeconds(res.headers.get('retry-after'));
  if (res.status === 429 && retryAfter !== null) {
    return { kind: 'throttled', retryAfterSeconds: retryAfter };
  }
  if (res.status === 401 && body?.is_authenticated === false) return { kind: 'no_session' };
  return null;
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterSeconds(header: string | null): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
