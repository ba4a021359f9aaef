import type { AppError } from '@rag/core';

/**
 * The HTTP headers a domain failure gets, chosen here from its code and typed details (the domain
 * never names a header): every 401 asks for a bearer token, a throttle says when to retry.
 */
export function appErrorHeaders(app: AppError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (app.httpStatus === 401) headers['WWW-Authenticate'] = 'Bearer';
  if (app.details?.kind === 'throttled')
    headers['Retry-After'] = String(Math.max(1, Math.ceil(app.details.retryAfterSeconds)));
  return headers;
}
