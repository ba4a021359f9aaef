import { randomUUID } from 'node:crypto';

import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export const REDACTED = '[redacted]';

/**
 * Query parameters whose value never reaches a log line. tRPC puts `connectionParams` (the typed
 * client's `authorization: Bearer …` for subscriptions) and `input` (e.g. an `ask.stream` question:
 * personal data) in the query string; the OAuth callback carries `code` and `state`.
 */
const SECRET_NAMES = new Set([
  'connectionparams',
  'input',
  'code',
  'state',
  'authorization',
  'key',
]);
/** Any parameter whose name contains one of these (`access_token`, `refreshToken`, `new_password`…). */
const SECRET_PARTS = ['token', 'password', 'passwd', 'secret', 'apikey', 'credential', 'signature'];

/** `Access_Token`, `access-token`, `accessToken[]` → `accesstoken`. */
function isSecretName(name: string): boolean {
  const n = name
    .replace(/\[.*$/s, '')
    .replace(/[\s_.-]/g, '')
    .toLowerCase();
  return SECRET_NAMES.has(n) || SECRET_PARTS.some((part) => n.includes(part));
}

function encodePair(name: string, value: string): string {
  return new URLSearchParams([[name, value]]).toString();
}

/**
 * The URL as it may be logged: path kept as received, every secret query value replaced by
 * `[redacted]` (the name stays, so the log still says what was asked). A URL without a secret is
 * returned unchanged; one that cannot be read is logged as its path only. Never throws.
 */
export function redactUrl(url: unknown): string {
  if (typeof url !== 'string') return '';
  // As in a URL: the fragment starts at the first `#` (clients never send one, routing ignores it),
  // the query at the first `?` before it. Neither is hand-parsed further: URLSearchParams reads the query.
  const hashAt = url.indexOf('#');
  const target = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : `#${REDACTED}`;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  if (q === -1) return path + fragment;
  try {
    const params = [...new URLSearchParams(target.slice(q + 1))];
    if (!fragment && !params.some(([name]) => isSecretName(name))) return url;
    const query = params.map(([name, value]) =>
      isSecretName(name) ? `${encodePair(name, '')}${REDACTED}` : encodePair(name, value),
    );
    return `${path}?${query.join('&')}${fragment}`;
  } catch {
    return path;
  }
}

/** Header values that must not appear if a header is ever logged (the request serializer logs none). */
const REDACT_PATHS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization']
  .flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`])
  .concat(['req.query', 'req.params', 'req.body']);

/** The request log: one line per request (id, method, redacted URL, status, time), ids echoed back. */
export function requestLog(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: { id: unknown; method: string; url: unknown }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
