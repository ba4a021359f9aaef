// Node's response type (Express' extends it): the framing needs nothing Express adds.
import type { ServerResponse } from 'node:http';

export type SseEvent = { event: string; data: unknown };

export const HEARTBEAT_MS = 15_000;

/** Opens an SSE response. Headers match the original (no caching, no proxy buffering). */
export function openSse(res: ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  flush(res);
}

export function writeSse(res: ServerResponse, { event, data }: SseEvent) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  flush(res);
}

/**
 * Node corks the socket on every `write` and uncorks it on the next tick. A producer that continues in
 * promise callbacks only (the embedded database answers without real I/O) postpones that tick, so
 * `start` would leave together with the answer; uncorking now sends each event when it is written.
 */
function flush(res: ServerResponse) {
  const socket = res.socket;
  while (socket && socket.writableCorked > 0) socket.uncork();
}

/**
 * Streams events until the iterator ends or the client leaves. A comment line every
 * `heartbeatMs` keeps proxies from closing idle streams. Errors after the headers become
 * one `error` event built by `onError`, then the stream ends.
 */
export async function pipeSse(
  res: ServerResponse,
  events: AsyncIterable<SseEvent>,
  opts: { signal: AbortSignal; onError: (err: unknown) => SseEvent; heartbeatMs?: number },
) {
  const heartbeat = setInterval(() => res.write(': ping\n\n'), opts.heartbeatMs ?? HEARTBEAT_MS);
  try {
    for await (const e of events) {
      if (opts.signal.aborted) break;
      writeSse(res, e);
    }
  } catch (err) {
    if (!opts.signal.aborted) writeSse(res, opts.onError(err));
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
