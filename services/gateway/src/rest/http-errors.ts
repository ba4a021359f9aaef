import type { NextFunction, Request, Response } from 'express';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { ZodError, type z } from 'zod';
import type { Logger } from 'pino';

import { documentedErrorBody, EdgeMessages, findAppError, preferDiskFault } from '@rag/core';

import { appErrorHeaders } from './error-headers';
import { toValidationDetails, type Location, type ValidationDetail } from './validation';

/** A request that failed schema validation at the HTTP edge (rendered as FastAPI's 422). */
export class HttpValidationError extends Error {
  readonly details: ValidationDetail[];
  constructor(issues: readonly z.core.$ZodIssue[], where: Location, input: unknown) {
    super('Request validation failed');
    this.details = toValidationDetails(issues, where, input);
  }
}

/** Raw HTTP problems detected before any procedure runs (body parser errors, unknown routes). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : 'HTTP error');
  }
}

type BodyParserError = Error & { type?: string; status?: number; body?: string };

/** A JSON body nested deeper than the edge allows (checked before parsing). */
export class JsonTooDeepError extends Error {
  readonly status = 422;
  readonly type = 'entity.too.deep';
  constructor(readonly limit: number) {
    super(`JSON nested deeper than ${limit} levels`);
  }
}

/** pino-http's id (ours are UUID strings; its type also allows numbers and objects). */
function requestIdOf(req: Request): string {
  return typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
}

const GENERIC_500 = { detail: 'Lỗi máy chủ nội bộ, vui lòng thử lại sau' };

/** Renders every error per the contract: `{"detail": ...}`, 422 details, no internals, request id on 5xx. */
export function errorHandler(log: Logger) {
  // Express recognises error middleware by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIdOf(req);
    const { status, body, headers } = toHttp(err);
    if (status >= 500) {
      const internal = findAppError(err)?.internal;
      log.error({ err, requestId, path: req.path, internal }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const payload =
      status >= 500 && body && typeof body === 'object' && !Array.isArray(body)
        ? { ...(body as Record<string, unknown>), request_id: requestId }
        : body;
    let text: string;
    try {
      text = JSON.stringify(payload);
    } catch {
      // e.g. an echoed input too deep to serialise: the contract body without the echo.
      text = JSON.stringify(
        status >= 500
          ? { ...GENERIC_500, request_id: requestId }
          : { detail: EdgeMessages.badRequest },
      );
    }
    res.status(status).type('application/json').send(text);
  };
}

export function toHttp(err: unknown): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  if (err instanceof HttpValidationError)
    return { status: 422, body: { detail: err.details }, headers: {} };
  if (err instanceof HttpError) return { status: err.status, body: err.body, headers: {} };

  if (err instanceof JsonTooDeepError) {
    return {
      status: 422,
      body: { detail: [{ loc: ['body'], msg: err.message, type: 'json_too_deep' }] },
      headers: {},
    };
  }
  // Express' router: a path parameter that is not valid percent-encoding (e.g. `%ff%fe`).
  if (err instanceof URIError) {
    return {
      status: 400,
      body: { detail: EdgeMessages.badPercentEncoding },
      headers: {},
    };
  }
  const parser = err as BodyParserError;
  if (parser.type === 'entity.parse.failed') {
    return {
      status: 422,
      body: { detail: [{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }] },
      headers: {},
    };
  }
  if (parser.type === 'entity.too.large') {
    return { status: 413, body: { detail: EdgeMessages.bodyTooLarge }, headers: {} };
  }
  if (
    typeof parser.status === 'number' &&
    parser.status >= 400 &&
    parser.status < 500 &&
    !findAppError(err) &&
    !(err instanceof TRPCError)
  ) {
    return { status: parser.status, body: { detail: EdgeMessages.badRequest }, headers: {} };
  }

  // A storage failure outside any procedure (e.g. spooling an upload) reads as what it is: 507/503.
  const app = preferDiskFault(findAppError(err), err);
  if (app) {
    return {
      status: app.httpStatus,
      body: documentedErrorBody(app) ?? { detail: app.message },
      headers: appErrorHeaders(app),
    };
  }
  if (err instanceof TRPCError) {
    if (err.cause instanceof ZodError) {
      return {
        status: 422,
        body: { detail: toValidationDetails(err.cause.issues, 'body', undefined) },
        headers: {},
      };
    }
    const status = getHTTPStatusCodeFromError(err);
    if (status < 500) return { status, body: { detail: err.message }, headers: {} };
  }
  return { status: 500, body: GENERIC_500, headers: {} };
}
