import type { IncomingMessage } from 'node:http';

import express, { type RequestHandler } from 'express';

import { jsonDepthExceeds, MAX_JSON_DEPTH, type Deps } from '@rag/core';

import { JsonTooDeepError } from './http-errors';

/**
 * The one JSON body parser of the edge (REST routes and tRPC): `MAX_BODY_KB`, and nesting refused
 * before parsing so no recursive consumer (validation, logging, serialising) meets a hostile depth.
 */
export function jsonBodyParser(
  deps: Deps,
  type?: (req: IncomingMessage) => boolean,
): RequestHandler {
  return express.json({
    limit: `${deps.env.MAX_BODY_KB}kb`,
    strict: false,
    ...(type ? { type } : {}),
    verify: (_req, _res, buf) => {
      if (jsonDepthExceeds(buf.toString('utf8'), MAX_JSON_DEPTH))
        throw new JsonTooDeepError(MAX_JSON_DEPTH);
    },
  });
}
