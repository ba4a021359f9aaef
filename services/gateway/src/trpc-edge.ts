import type { IncomingMessage } from 'node:http';

import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { appRouter, type Deps } from '@rag/core';

import { HttpError } from './rest/http-errors';
import { jsonBodyParser } from './rest/json-body';

/** Bodies tRPC must read itself: uploads (FormData) and binary input, bounded by MAX_UPLOAD_MB. */
function isUploadBody(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return /^\s*(multipart\/form-data|application\/octet-stream)\b/i.test(type);
}

// At run time tRPC keeps the procedures flat, by dotted path; its type describes the nested router.
const procedures: Readonly<Record<string, unknown>> = appRouter._def.procedures;

function isMutation(procedure: unknown): boolean {
  const callable = typeof procedure === 'function' || typeof procedure === 'object';
  if (!callable || procedure === null || !('_def' in procedure)) return false;
  const def: unknown = procedure._def;
  return typeof def === 'object' && def !== null && 'type' in def && def.type === 'mutation';
}

/** Auth mutations (sign-in, sign-up, reset, refresh…) go one per request: each guess is its own request. */
function isAuthMutation(path: string): boolean {
  return path.startsWith('auth.') && isMutation(procedures[path]);
}

/**
 * In front of the tRPC adapter: every other body goes through the same JSON parser as REST
 * (MAX_BODY_KB, depth limit), tRPC then reads the parsed `req.body`; batches of auth procedures are
 * refused (the size of any batch is capped by the adapter's `maxBatchSize`).
 */
export function trpcEdge(deps: Deps): RequestHandler[] {
  const json = jsonBodyParser(deps, (req) => !isUploadBody(req));
  const noAuthBatches = (req: Request, _res: Response, next: NextFunction) => {
    const paths = decodeURIComponentSafe(req.path.replace(/^\//, '')).split(',');
    if (paths.length > 1 && paths.some(isAuthMutation)) {
      next(
        new HttpError(400, {
          detail: 'Không được gộp (batch) các thao tác xác thực; hãy gửi từng yêu cầu một',
        }),
      );
      return;
    }
    next();
  };
  return [noAuthBatches, json];
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
