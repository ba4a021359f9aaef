import type { Request, Response } from 'express';

import {
  createCaller,
  createContext,
  hasForwardingHeaders,
  type AppCaller,
  type Deps,
} from '@rag/core';

/** Lazily builds a typed tRPC caller for one HTTP request (the token is verified once, on first use). */
export type Caller = () => Promise<AppCaller>;

/**
 * The request's AbortSignal fires when the client goes away before the response finished
 * (`res` 'close', not `req` 'close': the latter fires once the body has been read).
 */
export function requestSignal(res: Response): AbortSignal {
  const locals = res.locals as { abort?: AbortController };
  if (!locals.abort) {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    locals.abort = abort;
  }
  return locals.abort.signal;
}

export function callerFactory(deps: Deps) {
  return (req: Request, res: Response): Caller => {
    let pending: Promise<AppCaller> | undefined;
    return () =>
      (pending ??= createContext({
        deps,
        authorization: req.headers.authorization,
        clientIp: req.ip ?? null,
        peerIp: req.socket.remoteAddress ?? null,
        forwarded: hasForwardingHeaders(req.headers),
      }).then((ctx) => createCaller(ctx, { signal: requestSignal(res) })));
  };
}
