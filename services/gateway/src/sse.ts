// Node's response type (Express' extends it): the framing needs nothing Express adds.
import type { ServerResponse } from 'node:http';

export type SseEvent = { event: string; data: unknown };

export const HEARTBEAT_MS = 15_000;

/**
 * Opens an SSE response. Headers match the original (no caching, no proxy buffering). They leave with
 * the first event (one socket write less per stream), or on the loop's next turn when none comes at
 * once (`pipeSse`).
 */
export function openSse(res: ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
}

function writeSse(res: ServerResponse, e: SseEvent) {
  res.write(frame(e));
  flush(res);
}

function frame({ event, data }: SseEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
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
 * Writes events as they come, except that `content` pieces after the first, and `end`, are gathered
 * until the producer yields to the event loop: an extractive answer is ~15 pieces produced in one go,
 * which then cost one socket write instead of fifteen, and `end` leaves with the response's last
 * chunk (50 concurrent asks share one loop, and each write is a system call). The first piece and
 * every other event still leave at once, so time to first `content` is unchanged.
 */
class SseWriter {
  private pending = '';
  private scheduled: NodeJS.Immediate | undefined;
  private sentContent = false;
  /** Sends the headers alone when no event is written in this turn of the loop. */
  private headers: NodeJS.Immediate | undefined;

  constructor(private readonly res: ServerResponse) {
    this.headers = setImmediate(() => {
      this.headers = undefined;
      res.flushHeaders();
      flush(res);
    });
  }

  send(e: SseEvent) {
    if ((e.event === 'content' && this.sentContent) || e.event === 'end') {
      this.pending += frame(e);
      this.scheduled ??= setImmediate(() => this.flush());
      return;
    }
    this.flush();
    if (e.event === 'content') this.sentContent = true;
    this.wrote();
    writeSse(this.res, e);
  }

  flush() {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (!this.pending) return;
    this.wrote();
    this.res.write(this.pending);
    this.pending = '';
    flush(this.res);
  }

  /** Ends the response with what is still gathered, in one write. */
  close() {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.wrote();
    this.res.end(this.pending);
    this.pending = '';
  }

  private wrote() {
    if (this.headers) clearImmediate(this.headers);
    this.headers = undefined;
  }
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
  const out = new SseWriter(res);
  try {
    for await (const e of events) {
      if (opts.signal.aborted) break;
      out.send(e);
    }
  } catch (err) {
    if (!opts.signal.aborted) out.send(opts.onError(err));
  } finally {
    clearInterval(heartbeat);
    out.close();
  }
}
