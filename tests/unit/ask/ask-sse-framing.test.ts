import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { HEARTBEAT_MS, openSse, pipeSse, type SseEvent } from '../../../services/gateway/src/sse';
import { readSse } from '../../support/sse-client';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Serves one SSE stream of `events` framed by the gateway's helpers. */
async function serve(
  events: (signal: AbortSignal) => AsyncIterable<SseEvent>,
  heartbeatMs: number,
) {
  const finished: { aborted?: boolean; writes: string[] } = { writes: [] };
  server = createServer((req, res) => {
    const abort = new AbortController();
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      finished.writes.push(String(chunk));
      return write(chunk);
    }) as typeof res.write;
    const end = res.end.bind(res) as (chunk?: string) => typeof res;
    res.end = ((chunk?: unknown) => {
      if (typeof chunk === 'string' && chunk) finished.writes.push(chunk);
      return end(chunk as string | undefined);
    }) as typeof res.end;
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    openSse(res);
    void pipeSse(res, events(abort.signal), {
      signal: abort.signal,
      heartbeatMs,
      onError: () => ({
        event: 'error',
        data: { error: true, message: 'failed', question_id: 'q', conversation_id: 'c' },
      }),
    }).then(() => {
      finished.aborted = abort.signal.aborted;
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server?.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, finished };
}

describe('SSE framing', () => {
  it('uses a 15 s heartbeat by default', () => {
    expect(HEARTBEAT_MS).toBe(15_000);
  });

  it('sends a comment heartbeat while the answer is idle, then the events', async () => {
    // The answer stays idle until the client has seen two heartbeats: no race against the clock.
    const comments: string[] = [];
    let twoPings!: () => void;
    const pinged = new Promise<void>((resolve) => (twoPings = resolve));
    const { url } = await serve(async function* () {
      yield { event: 'start', data: { question_id: 'q_1' } };
      await pinged;
      yield { event: 'end', data: { ok: true } };
    }, 25);
    const res = await fetch(url);
    const events = [];
    const onComment = (c: string) => {
      if (comments.push(c) >= 2) twoPings();
    };
    for await (const e of readSse(res.body as ReadableStream<Uint8Array>, onComment))
      events.push(e);
    expect(events).toEqual([
      { event: 'start', data: { question_id: 'q_1' } },
      { event: 'end', data: { ok: true } },
    ]);
    expect(comments.length).toBeGreaterThanOrEqual(2);
  });

  it('sends the headers on their own when the first event is not ready at once', async () => {
    // The first event waits for the client to have the headers: without them it would never come.
    let headersSeen!: () => void;
    const seen = new Promise<void>((resolve) => (headersSeen = resolve));
    const { url, finished } = await serve(async function* () {
      await seen;
      yield { event: 'start', data: { question_id: 'q_1' } };
      yield { event: 'end', data: { ok: true } };
    }, 1000);
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    headersSeen();
    const events = [];
    for await (const e of readSse(res.body as ReadableStream<Uint8Array>)) events.push(e.event);
    expect(events).toEqual(['start', 'end']);
    expect(finished.writes.filter((w) => w.startsWith('event:'))).toHaveLength(2);
  });

  it('turns a failure after the headers into one error event', async () => {
    const { url } = await serve(async function* () {
      yield { event: 'start', data: {} };
      throw new Error('boom at /srv/secret.sql');
    }, 1000);
    const events = [];
    for await (const e of readSse((await fetch(url)).body as ReadableStream<Uint8Array>))
      events.push(e);
    expect(events.map((e) => e.event)).toEqual(['start', 'error']);
    expect(JSON.stringify(events)).not.toContain('/srv');
  });

  it('writes the first content piece at once and gathers the pieces produced with it', async () => {
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const { url, finished } = await serve(async function* () {
      yield { event: 'start', data: { question_id: 'q_1' } };
      for (let i = 0; i < 15; i++) yield { event: 'content', data: { content: `p${i} ` } };
      await later; // a pause with real I/O between pieces, as an LLM's tokens arrive
      yield { event: 'content', data: { content: 'late' } };
      yield { event: 'end', data: { ok: true } };
    }, 1000);
    const res = await fetch(url);
    const events = [];
    for await (const e of readSse(res.body as ReadableStream<Uint8Array>)) {
      events.push(e);
      if (events.length === 16) release();
    }
    // Every event arrives, in order, whatever the writes were.
    expect(events.map((e) => (e.data as { content?: string }).content ?? e.event)).toEqual([
      'start',
      ...Array.from({ length: 15 }, (_, i) => `p${i} `),
      'late',
      'end',
    ]);
    const frames = finished.writes.filter((w) => w.startsWith('event:'));
    // start; the first piece alone; the other 14 in one write; the late piece with end, in the
    // response's last chunk.
    expect(frames.map((w) => w.split('event: ').length - 1)).toEqual([1, 1, 14, 2]);
  });

  it('sends sources with the first piece composed in the same turn, and alone before a pause', async () => {
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const { url, finished } = await serve(async function* () {
      yield { event: 'start', data: { question_id: 'q_1' } };
      yield { event: 'sources', data: { sources: ['a'] } };
      yield { event: 'content', data: { content: 'first' } };
      yield { event: 'sources', data: { sources: ['b'] } };
      // Real I/O before the next piece, as a model's first token: the sources must not wait for it.
      await later;
      yield { event: 'content', data: { content: 'second' } };
      yield { event: 'end', data: { ok: true } };
    }, 1000);
    const events = [];
    for await (const e of readSse((await fetch(url)).body as ReadableStream<Uint8Array>)) {
      events.push(e.event);
      if (events.length === 4) release();
    }
    expect(events).toEqual(['start', 'sources', 'content', 'sources', 'content', 'end']);
    const frames = finished.writes.filter((w) => w.startsWith('event:'));
    // start; the first sources with the first piece; the second sources alone on the loop's next
    // turn; the later piece with end.
    expect(frames.map((w) => w.split('event: ').length - 1)).toEqual([1, 2, 1, 2]);
  });

  it('stops pulling events when the client leaves and lets the generator clean up', async () => {
    let cleaned = false;
    let produced = 0;
    let generator: AsyncGenerator<SseEvent> | undefined;
    const { url, finished } = await serve(() => (generator = produce()), 1000);
    async function* produce(): AsyncGenerator<SseEvent> {
      try {
        for (;;) {
          produced++;
          yield { event: 'content', data: { content: 'x ' } };
          await nextTurn();
        }
      } finally {
        cleaned = true;
      }
    }
    const client = new AbortController();
    const res = await fetch(url, { signal: client.signal });
    let seen = 0;
    try {
      for await (const e of readSse(res.body as ReadableStream<Uint8Array>)) {
        if (e.event === 'content' && ++seen === 3) client.abort();
      }
    } catch {
      // aborted body
    }
    // pipeSse has returned and the generator's `finally` ran: it is closed and cannot produce again.
    await expect.poll(() => finished.aborted).toBe(true);
    expect(cleaned).toBe(true);
    const stoppedAt = produced;
    // A closed generator answers every further pull with done, so nothing more can be produced.
    expect(await generator?.next()).toEqual({ value: undefined, done: true });
    expect(produced).toBe(stoppedAt);
  });
});
