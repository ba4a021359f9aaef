import type { BuildReport, EngineRun } from './measure';

export type EngineResult = EngineRun & {
  kind: 'keyword' | 'hybrid';
  family: string;
  settings: Record<string, unknown>;
  build: BuildReport;
};

const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 ? a / b : null;

/** ours ÷ peer for every reported number (nDCG above 1 = ours better; latency above 1 = ours slower). */
export function ratios(ours: EngineResult, peer: EngineResult) {
  return {
    ndcg10: ratio(ours.metrics.ndcg10, peer.metrics.ndcg10),
    recall100: ratio(ours.metrics.recall100, peer.metrics.recall100),
    p50: ratio(ours.latencyMs.p50, peer.latencyMs.p50),
    p95: ratio(ours.latencyMs.p95, peer.latencyMs.p95),
    p99: ratio(ours.latencyMs.p99, peer.latencyMs.p99),
    throughput: ratio(ours.throughputQps, peer.throughputQps),
    buildSeconds: ratio(ours.build.seconds, peer.build.seconds),
    rssDelta: ratio(ours.build.rssDeltaBytes, peer.build.rssDeltaBytes),
    diskBytes: ratio(ours.build.diskBytes, peer.build.diskBytes),
  };
}

/** The engine of our own a peer is compared with: keyword with keyword, hybrid with hybrid. */
export const baselineOf = (peer: Pick<EngineResult, 'kind'>) =>
  peer.kind === 'keyword' ? 'ours-keyword' : 'ours-hybrid';

const mb = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 2 ** 20).toFixed(1)}`);
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/** One markdown table per set, as the README shows it. */
export function markdownTable(
  dataset: string,
  queries: number,
  engines: Record<string, EngineResult>,
): string {
  const head =
    `**${dataset}** (${queries} queries)\n\n` +
    '| engine | nDCG@10 | R@100 | p50 / p95 / p99 ms | q/s @8 | build s | RSS Δ MB | disk MB | ours/peer nDCG · p95 |\n' +
    '|---|---|---|---|---|---|---|---|---|';
  const lines = Object.entries(engines).map(([name, e]) => {
    const base = engines[baselineOf(e)];
    const r = base && !name.startsWith('ours-') ? ratios(base, e) : null;
    const rr = r ? `${r.ndcg10?.toFixed(2)} · ${r.p95?.toFixed(2)}` : '–';
    return (
      `| ${name} | ${e.metrics.ndcg10.toFixed(4)} | ${e.metrics.recall100.toFixed(3)} | ` +
      `${ms(e.latencyMs.p50)} / ${ms(e.latencyMs.p95)} / ${ms(e.latencyMs.p99)} | ${e.throughputQps.toFixed(0)} | ` +
      `${e.build.seconds.toFixed(1)} | ${mb(e.build.rssDeltaBytes)} | ${mb(e.build.diskBytes)} | ${rr} |`
    );
  });
  return [head, ...lines].join('\n');
}
