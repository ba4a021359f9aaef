import { performance } from 'node:perf_hooks';

import type { IngestProgress } from '../../domain/files/progress';
import type { Telemetry } from '../../ports/telemetry';

/**
 * Times an ask stream from the call (before validation and retrieval) to its `start` event and to its
 * first `content` event; the events pass through unchanged.
 */
export async function timeAsk<E extends { event: string }>(
  telemetry: Telemetry,
  ask: () => Promise<AsyncIterable<E>>,
): Promise<AsyncGenerator<E>> {
  const t0 = performance.now();
  const events = (await ask())[Symbol.asyncIterator]();
  let content = false;
  // An iterator, not a generator around the answer's: closing it before its first event must reach
  // the answer's own (which then saves the answer as interrupted); an unstarted generator would not.
  const timed: AsyncGenerator<E> = {
    async next() {
      const r = await events.next();
      if (r.done) return r;
      const e = r.value;
      if (e.event === 'start') telemetry.askLatency('start', (performance.now() - t0) / 1000);
      if (e.event === 'content' && !content) {
        content = true;
        telemetry.askLatency('first_content', (performance.now() - t0) / 1000);
      }
      return r;
    },
    return: async (value) => (await events.return?.(value)) ?? { done: true, value: undefined },
    throw: async (e: unknown) => {
      if (events.throw) return events.throw(e);
      throw e;
    },
    [Symbol.asyncIterator]: () => timed,
  };
  return timed;
}

const MAX_TRACKED = 10_000;

/**
 * Turns upload progress events into stage durations: the time between two events belongs to the later
 * event's stage (`parsed` = parsing, `chunked` = chunking, …), summed per upload and reported when it
 * ends (`indexed`) or fails.
 */
export function ingestionObserver(telemetry: Telemetry) {
  const uploads = new Map<string, { at: number; last: string; spent: Map<string, number> }>();
  return (userId: string, e: IngestProgress) => {
    const key = `${userId}:${e.jobId}`;
    const now = performance.now();
    const seen = uploads.get(key);
    if (e.stage === 'failed') {
      uploads.delete(key);
      telemetry.ingestFailed(seen?.last ?? 'none');
      return;
    }
    if (!seen) {
      // A duplicate upload is `indexed` at once: nothing was parsed or embedded.
      if (e.stage === 'indexed') return;
      if (uploads.size >= MAX_TRACKED) uploads.clear();
      uploads.set(key, { at: now, last: e.stage, spent: new Map() });
      return;
    }
    seen.spent.set(e.stage, (seen.spent.get(e.stage) ?? 0) + (now - seen.at));
    seen.at = now;
    seen.last = e.stage;
    if (e.stage === 'indexed') {
      uploads.delete(key);
      for (const [stage, ms] of seen.spent) telemetry.ingestStage(stage, ms / 1000);
    }
  };
}
