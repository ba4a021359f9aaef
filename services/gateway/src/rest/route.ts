import type { Request, RequestHandler, Response, Router } from 'express';
import { type z } from 'zod';

import { findNulCharacter } from '@rag/core';

import type { Caller } from '../caller';
import { rememberRoute } from '../metrics';
import { HttpValidationError } from './http-errors';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type RouteAuth = 'none' | 'bearer' | 'optional-bearer' | 'service';

export type ResponseSpec = {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
};

export type RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path relative to the router's mount point, e.g. `/files/:filename`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** For multipart routes: the form fields, documented as multipart/form-data. */
  multipart?: AnyObject;
  /** Documented responses; the first 2xx is the success status. */
  responses: Record<number, ResponseSpec>;
  // A method, so a spec with narrower inputs still is an AnyRouteSpec (method parameters are
  // bivariant): mountRoutes hands each handler what that spec's own schemas parsed.
  handler(args: {
    req: Request;
    res: Response;
    call: Caller;
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
  }): Promise<unknown>;
};

export type AnyRouteSpec = RouteSpec<AnyObject, AnyObject, z.ZodType>;

/** A group of routes sharing a mount prefix (e.g. `/api`), registered for Express and OpenAPI. */
export type RouteGroup = { prefix: string; routes: AnyRouteSpec[] };

export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): AnyRouteSpec {
  return spec;
}

function parseOrThrow(
  schema: z.ZodType | undefined,
  value: unknown,
  where: 'path' | 'query' | 'body',
) {
  // The shared edge rule first, for every input of every route (tRPC applies it too).
  const nul = findNulCharacter(value);
  if (nul) throw new HttpValidationError([nul], where, value);
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpValidationError(result.error.issues, where, value);
  return result.data;
}

/** Mounts the specs on an Express router: validate path/query/body, call the handler, send JSON. */
export function mountRoutes(
  router: Router,
  routes: AnyRouteSpec[],
  opts: { makeCaller: (req: Request, res: Response) => Caller; jsonBody: RequestHandler },
) {
  for (const spec of routes) {
    const success = Number(Object.keys(spec.responses).find((s) => s.startsWith('2')) ?? 200);
    const parsers = [rememberRoute, ...(spec.body ? [opts.jsonBody] : [])];
    router[spec.method](spec.path, ...parsers, async (req: Request, res: Response) => {
      const params = parseOrThrow(spec.params, req.params, 'path');
      const query = parseOrThrow(spec.query, req.query, 'query');
      const rawBody: unknown = spec.body ? req.body : undefined;
      const body = parseOrThrow(spec.body, rawBody, 'body');
      const result = await spec.handler({
        req,
        res,
        call: opts.makeCaller(req, res),
        params: params as never,
        query: query as never,
        body,
      });
      if (res.headersSent || res.writableEnded) return;
      res.status(success).json(result);
    });
  }
}
