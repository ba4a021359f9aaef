import type { SearchType } from '@rag/core';

import type { BeirDataset, Query } from '../beir';
import { evaluate } from '../evaluate';
import type { EvalWorkspace } from '../ingest-corpus';
import { meanMetrics, percentile, queryMetrics, type QueryMetrics } from '../metrics';
import { createProgress } from '../progress';
import type { PeerEngine } from './engine';

export type EngineResult = {
  settings: Record<string, unknown>;
  indexSeconds: number;
  metrics: QueryMetrics;
  latencyMs: { p50: number; p95: number; mean: number };
};

function latency(ms: number[]) {
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    mean: ms.reduce((a, b) => a + b, 0) / (ms.length || 1),
  };
}

/** Runs every query through a peer engine, one at a time, timing each. */
export async function measureEngine(
  engine: PeerEngine,
  ds: Pick<BeirDataset, 'name' | 'qrels'>,
  queries: readonly Query[],
  indexSeconds: number,
): Promise<EngineResult> {
  const progress = createProgress(`${ds.name} ${engine.name}`, queries.length);
  const rows: QueryMetrics[] = [];
  const ms: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    const ranked = await engine.search(q.text);
    ms.push(performance.now() - started);
    rows.push(queryMetrics(ranked, ds.qrels.get(q.id) ?? new Map()));
    progress.tick(rows.length);
  }
  return {
    settings: engine.settings,
    indexSeconds,
    metrics: meanMetrics(rows),
    latencyMs: latency(ms),
  };
}

/** Our system through the same retrieval function as `pnpm eval`. */
export async function measureOurs(
  ws: EvalWorkspace,
  ds: Pick<BeirDataset, 'name' | 'qrels'>,
  queries: readonly Query[],
  opts: {
    docsByFile: ReadonlyMap<string, readonly string[]>;
    mode: SearchType;
    alpha: number;
    k: number;
    chunkLimit: number;
    indexSeconds: number;
  },
): Promise<EngineResult> {
  const run = await evaluate(ws, ds, { ...opts, queries, label: `${ds.name} ours-${opts.mode}` });
  return {
    settings: {
      mode: opts.mode,
      alpha: opts.mode === 'hybrid' ? opts.alpha : undefined,
      embedder: ws.deps.embedder.id,
      chunkLimit: opts.chunkLimit,
      bm25: { k1: ws.deps.env.BM25_K1, b: ws.deps.env.BM25_B },
    },
    indexSeconds: opts.indexSeconds,
    metrics: run.metrics,
    latencyMs: run.latencyMs,
  };
}
