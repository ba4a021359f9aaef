import type { QueryMetrics } from './metrics';

const f = (x: number) => x.toFixed(4);

/** The machine-readable last line of `pnpm eval`. */
export function summaryLine(
  dataset: string,
  mode: string,
  m: QueryMetrics,
  queries: number,
): string {
  return `${dataset} mode=${mode} nDCG@10=${f(m.ndcg10)} Recall@100=${f(m.recall100)} MRR@10=${f(m.mrr10)} queries=${queries}`;
}

const LAST_LINE =
  /^(\S+) mode=(keyword|semantic|hybrid) nDCG@10=([\d.]+) Recall@100=([\d.]+) MRR@10=([\d.]+) queries=(\d+)$/;

/** Reads a summary line back (for scripts that collect `pnpm eval` results); null when it is not one. */
export function parseSummaryLine(line: string) {
  const m = LAST_LINE.exec(line.trim());
  if (!m) return null;
  return {
    dataset: m[1]!,
    mode: m[2]! as 'keyword' | 'semantic' | 'hybrid',
    ndcg10: Number(m[3]),
    recall100: Number(m[4]),
    mrr10: Number(m[5]),
    queries: Number(m[6]),
  };
}

/** A human-readable row with every metric and the latency, printed before the last line. */
export function detailLine(
  label: string,
  m: QueryMetrics,
  latency: { p50: number; p95: number },
): string {
  return `${label.padEnd(28)} nDCG@10=${f(m.ndcg10)} Recall@10=${f(m.recall10)} Recall@100=${f(m.recall100)} MRR@10=${f(m.mrr10)} p50=${latency.p50.toFixed(1)}ms p95=${latency.p95.toFixed(1)}ms`;
}
