import { performance } from 'node:perf_hooks';

import type { Express, Request, RequestHandler, Response } from 'express';

import {
  appRouter,
  hasForwardingHeaders,
  MSG_NO_CREDENTIALS,
  readBearer,
  serviceKeyAllows,
  type Deps,
} from '@rag/core';

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/**
 * The route label of a finished request: the Express route pattern (`/api/files/:filename`), never
 * the raw path, so ids and names cannot multiply the series. tRPC requests are labelled by procedure
 * when it is a known one; static mounts (docs, web app) by their mount point.
 */
export function routeLabel(req: Request, res: Response, status: number): string {
  const url = req.originalUrl.split('?')[0] ?? '';
  if (url.startsWith('/trpc/')) {
    const [name, ...more] = url.slice('/trpc/'.length).split(',');
    if (more.length > 0) return '/trpc/{batch}';
    return name !== undefined && PROCEDURES.has(name) ? `/trpc/${name}` : '/trpc/{unknown}';
  }
  if (typeof res.locals.routePattern === 'string') return res.locals.routePattern;
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}` || '/';
  if (status === 404) return '{unmatched}';
  return req.baseUrl ? `${req.baseUrl}/*` : '{unmatched}';
}

/**
 * First handler of every REST route: keeps the pattern while `req.baseUrl` still holds the mount point
 * (Express restores it when an error leaves the router, before the response is finished).
 */
export const rememberRoute: RequestHandler = (req, res, next) => {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') res.locals.routePattern = `${req.baseUrl}${route}` || '/';
  next();
};

/** Times every request until its response is finished or its client left (SSE streams too). */
export function httpMetrics(deps: Deps): RequestHandler {
  return (req, res, next) => {
    const t0 = performance.now();
    res.once('close', () =>
      deps.telemetry.httpRequest({
        method: req.method,
        route: routeLabel(req, res, res.statusCode),
        status: res.statusCode,
        seconds: (performance.now() - t0) / 1000,
      }),
    );
    next();
  };
}

/**
 * `GET /metrics` (Prometheus text). It tells about the users' activity, so it takes the service key like
 * the personal-data routes: always as bearer, and loopback without forwarding headers while the key is the
 * generated one (a scraper on the same host needs no set-up).
 */
export function mountMetrics(app: Express, deps: Deps) {
  app.get('/metrics', async (req, res) => {
    const allowed = serviceKeyAllows(deps.serviceKey, {
      bearer: readBearer(req.headers.authorization),
      clientIp: req.socket.remoteAddress,
      forwarded: hasForwardingHeaders(req.headers),
    });
    if (!allowed) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ detail: MSG_NO_CREDENTIALS });
      return;
    }
    const exposition = await deps.telemetry.exposition();
    if (!exposition) {
      res.status(404).json({ detail: 'Not Found' });
      return;
    }
    res.set('Content-Type', exposition.contentType).set('Cache-Control', 'no-store');
    res.send(exposition.body);
  });
}
