import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SearchType } from '@rag/core';

import type { BeirDataset, Query } from './beir';
import type { EvalWorkspace } from './ingest-corpus';
import { meanMetrics, percentile, queryMetrics, type QueryMetrics } from './metrics';
import { runQueries } from './run-queries';

export type EvalRun = {
  mode: SearchType;
  /** Only meaningful for hybrid. */
  alpha: number;
  metrics: QueryMetrics;
  latencyMs: { p50: number; p95: number; mean: number };
  perQuery: ({ id: string; ms: number; top10: string[] } & QueryMetrics)[];
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
  const perQuery = ranked.map((r) => ({
    id: r.queryId,
    ms: Math.round(r.ms * 100) / 100,
    top10: r.ranked.slice(0, 10),
    ...queryMetrics(r.ranked, ds.qrels.get(r.queryId) ?? new Map()),
  }));
  const ms = ranked.map((r) => r.ms);
  return {
    mode: input.mode,
    alpha: input.alpha,
    metrics: meanMetrics(perQuery),
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
