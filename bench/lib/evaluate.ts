import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SearchType } from '@rag/core/testing';

import type { BeirDataset, Query } from './beir';
import type { EvalWorkspace } from './ingest-corpus';
import { meanMetrics, percentile, queryMetrics, type QueryMetrics } from './metrics';
import { runQueries } from './run-queries';

export const PER_QUERY_COLUMNS = ['id', 'nDCG@10', 'Recall@100', 'MRR@10', 'ms', 'top3'] as const;

export type EvalRun = {
  mode: SearchType;
  /** Only meaningful for hybrid. */
  alpha: number;
  metrics: QueryMetrics;
  latencyMs: { p50: number; p95: number; mean: number };
  /** Per query, rounded to 4 decimals: id, nDCG@10, Recall@100, MRR@10, latency (ms), first 3 documents. */
  perQuery: [string, number, number, number, number, string[]][];
};

/** Ranks every query with one retrieval setting and scores it against the qrels. */
export async function evaluate(
  ws: EvalWorkspace,
  ds: Pick<BeirDataset, 'qrels'>,
  input: {
    queries: readonly Query[];
    docsByFile: ReadonlyMap<string, readonly string[]>;
    mode: SearchType;
    alpha: number;
    k: number;
    chunkLimit: number;
    label: string;
  },
): Promise<EvalRun> {
  const ranked = await runQueries(ws, input.queries, input.docsByFile, input);
  const metrics = ranked.map((r) => queryMetrics(r.ranked, ds.qrels.get(r.queryId) ?? new Map()));
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const perQuery = ranked.map((r, i): EvalRun['perQuery'][number] => {
    const m = metrics[i]!;
    return [
      r.queryId,
      round(m.ndcg10),
      round(m.recall100),
      round(m.mrr10),
      round(r.ms),
      r.ranked.slice(0, 3),
    ];
  });
  const ms = ranked.map((r) => r.ms);
  return {
    mode: input.mode,
    alpha: input.alpha,
    metrics: meanMetrics(metrics),
    latencyMs: {
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      mean: ms.reduce((a, b) => a + b, 0) / (ms.length || 1),
    },
    perQuery,
  };
}

export async function writeResult(dir: string, name: string, value: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
