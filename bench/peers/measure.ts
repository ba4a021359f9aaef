import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { Qrels } from '../lib/beir';
import { meanMetrics, percentile, queryMetrics, type QueryMetrics } from '../lib/metrics';
import { createProgress } from '../lib/progress';
import type { BuildInput, PeerEngine, PeerFamily, PeerIndex, PreparedQuery } from './engine';

// `pnpm bench` starts each bench without --expose-gc; this turns it on for a fresh context, so that the
// RSS before and after a build is read after a full collection, not whatever garbage lies around.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledRss(): number {
  gc();
  gc();
  return process.memoryUsage.rss();
}

export type BuildReport = { seconds: number; rssDeltaBytes: number; diskBytes: number | null };

/** Builds one family's index, timing it and reading the resident memory it added and its size on disk. */
export async function buildFamily(
  family: PeerFamily,
  input: BuildInput,
): Promise<{ index: PeerIndex; report: BuildReport }> {
  const before = settledRss();
  const started = performance.now();
  const index = await family.build(input);
  const seconds = (performance.now() - started) / 1000;
  const rssDeltaBytes = settledRss() - before;
  return { index, report: { seconds, rssDeltaBytes, diskBytes: await index.diskBytes() } };
}

export type Latency = { p50: number; p95: number; p99: number; mean: number };

export function latencyOf(ms: readonly number[]): Latency {
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    mean: ms.reduce((a, b) => a + b, 0) / (ms.length || 1),
  };
}

export type EngineRun = {
  metrics: QueryMetrics;
  latencyMs: Latency;
  /** Queries per second with `concurrency` queries in flight at once. */
  throughputQps: number;
};

/** `items` rotated left by `by`: engine order changes from one query to the next. */
export const rotate = <T>(items: readonly T[], by: number): T[] => {
  const s = ((by % items.length) + items.length) % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
};

async function throughput(
  engine: PeerEngine,
  queries: readonly PreparedQuery[],
  k: number,
  concurrency: number,
): Promise<{ n: number; ms: number }> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < queries.length; i = next++) await engine.search(queries[i]!, k);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queries.length) }, worker));
  return { n: queries.length, ms: performance.now() - started };
}

/**
 * Runs every query through every engine, INTERLEAVED: query i goes to all engines before query i + 1,
 * in an order rotated by i, so a burst of load from the machine's other tenants lands on all of them
 * alike. Each engine first answers `warmup` queries untimed. Quality comes from this sequential pass.
 * Throughput then runs the whole query list with `concurrency` in flight, engine after engine, twice
 * (the second round in reverse order), and counts both rounds.
 */
export async function runInterleaved(
  engines: readonly PeerEngine[],
  queries: readonly PreparedQuery[],
  qrels: Qrels,
  opts: { k: number; concurrency: number; warmup: number; label: string },
): Promise<Map<string, EngineRun>> {
  for (const e of engines) for (const q of queries.slice(0, opts.warmup)) await e.search(q, opts.k);
  const ms = new Map(engines.map((e) => [e.name, [] as number[]]));
  const rows = new Map(engines.map((e) => [e.name, [] as QueryMetrics[]]));
  const progress = createProgress(`${opts.label} queries`, queries.length);
  for (const [i, q] of queries.entries()) {
    for (const e of rotate(engines, i)) {
      const started = performance.now();
      const ranked = await e.search(q, opts.k);
      ms.get(e.name)!.push(performance.now() - started);
      rows.get(e.name)!.push(queryMetrics(ranked, qrels.get(q.id) ?? new Map()));
    }
    progress.tick(i + 1);
  }
  const load = new Map(engines.map((e) => [e.name, { n: 0, ms: 0 }]));
  for (const round of [0, 1]) {
    const order = round === 0 ? engines : [...engines].reverse();
    for (const e of order) {
      const r = await throughput(e, queries, opts.k, opts.concurrency);
      const acc = load.get(e.name)!;
      acc.n += r.n;
      acc.ms += r.ms;
    }
  }
  return new Map(
    engines.map((e) => {
      const l = load.get(e.name)!;
      return [
        e.name,
        {
          metrics: meanMetrics(rows.get(e.name)!),
          latencyMs: latencyOf(ms.get(e.name)!),
          throughputQps: l.ms > 0 ? (l.n / l.ms) * 1000 : 0,
        },
      ];
    }),
  );
}
