// `node --import tsx bench/peers/goals.ts [peers.json]`: the issue 17 item 2 goals, checked per set on a
// `pnpm bench peers` result: ours-keyword and ours-hybrid nDCG@10 ≥ every peer's; ours-keyword p95 ≤ the
// fastest peer whose nDCG@10 is within 0.02 of ours or better; ours-hybrid p95 ≤ LanceDB hybrid's.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

type Engine = { kind: string; metrics: { ndcg10: number }; latencyMs: { p95: number } };
type SetResult = { dataset: string; engines: Record<string, Engine> };

const path = process.argv[2] ?? join(import.meta.dirname, '../results/peers.json');
const { datasets } = JSON.parse(await readFile(path, 'utf8')) as { datasets: SetResult[] };
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
const f = (x: number) => x.toFixed(4);

for (const { dataset, engines } of datasets) {
  const kw = engines['ours-keyword'];
  const hy = engines['ours-hybrid'];
  if (!kw || !hy) continue;
  const peers = Object.entries(engines).filter(([name]) => !name.startsWith('ours-'));
  const best = peers.reduce((b, e) => (e[1].metrics.ndcg10 > b[1].metrics.ndcg10 ? e : b));
  const [bestName, bestPeer] = best;
  console.log(
    `${dataset}: nDCG@10 keyword ${f(kw.metrics.ndcg10)} / hybrid ${f(hy.metrics.ndcg10)} vs best peer ` +
      `${bestName} ${f(bestPeer.metrics.ndcg10)} — keyword ${mark(kw.metrics.ndcg10 >= bestPeer.metrics.ndcg10)}, ` +
      `hybrid ${mark(hy.metrics.ndcg10 >= bestPeer.metrics.ndcg10)}`,
  );
  const close = peers.filter(([, e]) => e.metrics.ndcg10 >= kw.metrics.ndcg10 - 0.02);
  const fastest = close.reduce<[string, Engine] | null>(
    (b, e) => (b === null || e[1].latencyMs.p95 < b[1].latencyMs.p95 ? e : b),
    null,
  );
  console.log(
    fastest
      ? `  keyword p95 ${kw.latencyMs.p95.toFixed(1)} ms vs fastest peer within 0.02 (${fastest[0]}, ` +
          `nDCG ${f(fastest[1].metrics.ndcg10)}) ${fastest[1].latencyMs.p95.toFixed(1)} ms — ` +
          `×${(kw.latencyMs.p95 / fastest[1].latencyMs.p95).toFixed(2)}, ${mark(kw.latencyMs.p95 <= fastest[1].latencyMs.p95)}`
      : '  keyword p95: no peer within 0.02 nDCG@10 of ours (goal met trivially)',
  );
  for (const name of ['lancedb-hybrid-rrf', 'lancedb-hybrid-linear']) {
    const l = engines[name];
    if (!l) continue;
    console.log(
      `  hybrid p95 ${hy.latencyMs.p95.toFixed(1)} ms vs ${name} ${l.latencyMs.p95.toFixed(1)} ms — ` +
        `×${(hy.latencyMs.p95 / l.latencyMs.p95).toFixed(2)}, ${mark(hy.latencyMs.p95 <= l.latencyMs.p95)}`,
    );
  }
}
