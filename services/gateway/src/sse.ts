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
 * Writes events as they come, except that `sources`, `content` pieces after the first, and `end`, are
 * gathered until the next event that leaves at once or until the producer yields to the event loop:
 * an extractive answer is ~15 pieces produced in one go, which then cost one socket write instead of
 * fifteen, its `sources` leave with its first piece when that is composed in the same turn, and `end`
 * leaves with the response's last chunk (50 concurrent asks share one loop, and each write is a system
 * call). `start`, the first piece and `error` leave at once, so time to `start` and to first `content`
 * are unchanged; `sources` waits at most for the composing of the first piece (a model's first token
 * comes over the network, after the loop's turn has sent them).
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
    if ((e.event === 'content' && this.sentContent) || e.event === 'end' || e.event === 'sources') {
      this.pending += frame(e);
      this.scheduled ??= setImmediate(() => this.flush());
      return;
    }
    if (e.event === 'content') this.sentContent = true;
    // What is gathered leaves with it, in the same write.
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const text = this.pending + frame(e);
    this.pending = '';
    this.wrote();
    this.res.write(text);
    flush(this.res);
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
