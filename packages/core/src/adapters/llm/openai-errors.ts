import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

import { AppError } from '../../errors';

/** Failures worth another attempt: rate limits, timeouts, server errors, dropped connections. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof APIUserAbortError) return false;
  if (e instanceof APIConnectionError) return true;
  if (e instanceof APIError) {
    const status = statusOf(e);
    // No status: the provider sent an error event inside the stream.
    return (
      status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
    );
  }
  return false;
}

const MAX_WAIT_MS = 10_000;

/** The provider's requested wait (retry-after-ms / retry-after), else exponential backoff with jitter. */
export function retryDelayMs(e: unknown, attempt: number): number {
  const headers = e instanceof APIError ? headersOf(e) : undefined;
  const ms = headerNumber(headers, 'retry-after-ms');
  if (ms !== null) return Math.min(ms, MAX_WAIT_MS);
  const seconds = headerNumber(headers, 'retry-after');
  if (seconds !== null) return Math.min(seconds * 1000, MAX_WAIT_MS);
  const base = 400 * 2 ** (attempt - 1);
  return Math.min(base + Math.random() * base * 0.25, MAX_WAIT_MS);
}

// `instanceof APIError` narrows to APIError<any, any>; read its fields as what they are at runtime.
export function statusOf({ status }: { status: unknown }): number | undefined {
  return typeof status === 'number' ? status : undefined;
}

type HeaderLookup = { get(name: string): string | null };

// Checked by shape, not `instanceof Headers`: the SDK's fetch may bring its own Headers class.
export function headersOf({ headers }: { headers: unknown }): HeaderLookup | undefined {
  if (typeof headers !== 'object' || headers === null || !('get' in headers)) return undefined;
  const { get } = headers;
  return typeof get === 'function'
    ? {
        get: (name) => {
          const v: unknown = get.call(headers, name);
          return typeof v === 'string' ? v : null;
        },
      }
    : undefined;
}

export function headerNumber(headers: HeaderLookup | undefined, name: string): number | null {
  const raw = headers?.get(name);
  if (!raw) return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Provider failures in words a user understands; the provider's own text stays in `cause` (logs). */
export function toLlmAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof APIConnectionError) {
    return new AppError('UNAVAILABLE', 'Không thể kết nối tới dịch vụ mô hình ngôn ngữ.', {
      cause: e,
    });
  }
  if (e instanceof APIError) {
    if (e.status === 429) {
      return new AppError(
        'RATE_LIMITED',
        'Dịch vụ mô hình ngôn ngữ đang quá tải, vui lòng thử lại sau.',
        { cause: e },
      );
    }
    if (e.status === 401 || e.status === 403) {
      return new AppError('UNAVAILABLE', 'Dịch vụ mô hình ngôn ngữ từ chối khóa API đã cấu hình.', {
        cause: e,
      });
    }
  }
  return new AppError('UPSTREAM_FAILED', 'Dịch vụ mô hình ngôn ngữ gặp lỗi khi tạo câu trả lời.', {
    cause: e,
  });
}
