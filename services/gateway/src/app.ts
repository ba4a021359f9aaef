import cors from 'cors';
import express, { type Express } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';

import { appRouter, createContext, hasForwardingHeaders, type Deps } from '@rag/core';

import { callerFactory } from './caller';
import { mountDocs } from './docs';
import { httpMetrics, mountMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import { errorHandler, HttpError } from './rest/http-errors';
import { restGroups } from './rest/index';
import { jsonBodyParser } from './rest/json-body';
import { mountRoutes } from './rest/route';
import { requestLog } from './request-log';
import { mountWebApp } from './web-app';
import { trpcEdge } from './trpc-edge';

export const API_INFO = {
  title: 'Hệ thống RAG',
  version: '1.0.0',
  description:
    'RAG backend: auth, documents, streamed grounded answers, conversations, e-mail sync.',
};

function corsOptions(origins: string): cors.CorsOptions {
  const list = origins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // Browsers hide response headers outside the CORS safelist: a throttled login's Retry-After is
  // how a REST client in a page learns when to try again.
  const exposedHeaders = ['Retry-After'];
  if (list.length === 0 || list.includes('*'))
    return { origin: '*', credentials: false, exposedHeaders };
  return { origin: list, credentials: true, exposedHeaders };
}

/** The e-mail sync routes (REST `/api/v1/*`, tRPC `chatHistory.*` / `userChat.*`). */
function isServiceRoute(path: string): boolean {
  return /^\/api\/v1(\/|$)/.test(path) || /^\/trpc\/[^?]*\b(chatHistory|userChat)\./.test(path);
}

function readParam(
  params: Record<string, string | undefined> | null,
  key: string,
): string | undefined {
  const value = params?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the Express app over the given dependencies (does not listen). */
export function createApp(deps: Deps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The client address the throttles count by: the TCP peer unless TRUST_PROXY names the proxies.
  app.set('trust proxy', deps.env.TRUST_PROXY);

  app.use(httpMetrics(deps));
  app.use(requestLog(deps.log));
  // Personal-data routes are for the sync service, never for browsers: no CORS headers at all.
  const withCors = cors(corsOptions(deps.env.CORS_ORIGINS));
  app.use((req, res, next) => (isServiceRoute(req.path) ? next() : withCors(req, res, next)));

  // tRPC first: a body parser in front of it would swallow FormData uploads (trpc/trpc#7446).
  app.use(
    '/trpc',
    ...trpcEdge(deps),
    createExpressMiddleware({
      router: appRouter,
      // Only uploads reach here unparsed (trpcEdge parsed every other body within MAX_BODY_KB).
      maxBodySize: deps.env.MAX_UPLOAD_MB * 1024 * 1024,
      maxBatchSize: deps.env.TRPC_MAX_BATCH,
      // tRPC's early errors (bad batch, mixed types) carry a JSON body but no content type.
      responseMeta: ({ errors }) =>
        errors.length ? { headers: { 'content-type': 'application/json' } } : {},
      createContext: ({ req, info }) =>
        createContext({
          deps,
          // Browsers' EventSource cannot send headers: subscriptions may carry the token as a connection param.
          authorization:
            req.headers.authorization ?? readParam(info.connectionParams, 'authorization'),
          clientIp: req.ip ?? null,
          peerIp: req.socket.remoteAddress ?? null,
          forwarded: hasForwardingHeaders(req.headers),
        }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          deps.log.error({ err: error.cause ?? error, path }, 'trpc error');
      },
    }),
  );

  mountMetrics(app, deps);
  const groups = restGroups(deps);
  mountDocs(app, () => buildOpenApi(groups, API_INFO));

  const makeCaller = callerFactory(deps);
  const jsonBody = jsonBodyParser(deps);
  for (const group of groups) {
    const router = express.Router({ mergeParams: true, strict: false });
    mountRoutes(router, group.routes, { makeCaller, jsonBody });
    app.use(group.prefix || '/', router);
  }

  mountWebApp(app, deps.env);

  app.use((_req, _res, next) => next(new HttpError(404, { detail: 'Not Found' })));
  app.use(errorHandler(deps.log));
  return app;
}
