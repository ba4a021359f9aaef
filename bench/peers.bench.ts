// Retrieval quality and query latency of our system next to Orama (BM25 and hybrid, the latter on OUR
// embeddings) and MiniSearch, plus the corpus README's plain BM25, on the same corpora in the same run.
// One summary line per comparison; everything to bench/results/peers.json.
// PEERS_DATASETS=a,b restricts the dev sets; PEERS_LIMIT_QUERIES=N caps the queries per set (default 100,
// the first N in file order, the same for every engine; 0 = all): our keyword search takes ~2 s per long
// SciFact claim on 14k chunks, so all 1,605 dev queries would keep `pnpm bench` busy for over an hour.
import { join } from 'node:path';

import { DEFAULT_FUSION_WEIGHT, effectiveAlpha, QuestionRequest } from '@rag/core';

import { loadBeir } from './lib/beir';
import { evalDataRoot, DEV_SETS } from './lib/eval-data';
import { writeResult } from './lib/evaluate';
import { ingestCorpus, openWorkspace } from './lib/ingest-corpus';
import { machineInfo } from './lib/machine';
import { isScorable } from './lib/metrics';
import { sourceRevision } from './lib/revision';
import { measureEngine, measureOurs, type EngineResult } from './lib/peers/measure';
import { createMiniSearchEngine } from './lib/peers/minisearch-engine';
import { buildOramaIndex, oramaBm25, oramaHybrid } from './lib/peers/orama-engine';
import { createReferenceBm25 } from './lib/peers/reference-bm25';

const K = 100;
const COMPARISONS: [string, string][] = [
  ['ours-keyword', 'orama-bm25'],
  ['ours-keyword', 'minisearch'],
  ['ours-keyword', 'bm25-reference'],
  ['ours-hybrid', 'orama-hybrid'],
];

const alpha = QuestionRequest.parse({ question: '?' }).alpha;
const root = evalDataRoot(process.env);
const names = process.env.PEERS_DATASETS?.split(',').map((s) => s.trim()) ?? [...DEV_SETS];
const limitQueries = Number(process.env.PEERS_LIMIT_QUERIES ?? 100) || undefined;

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const x = (r: number) => `×${r.toFixed(2)}`;

const datasets = [];
for (const name of names) {
  const ds = await loadBeir(join(root, name));
  const queries = ds.queries
    .filter((q) => isScorable(ds.qrels.get(q.id) ?? new Map()))
    .slice(0, limitQueries);
  const ws = await openWorkspace(process.env);
  const results: Record<string, EngineResult> = {};
  try {
    const ingest = await ingestCorpus(ws, ds.corpus, { label: name });
    const chunkLimit = Math.min(
      1000,
      Math.ceil(K * Math.max(1, ingest.chunks / Math.max(1, ingest.documents))),
    );
    for (const mode of ['keyword', 'hybrid'] as const) {
      results[`ours-${mode}`] = await measureOurs(ws, ds, queries, {
        docsByFile: ingest.docsByFile,
        mode,
        alpha,
        k: K,
        chunkLimit,
        indexSeconds: ingest.ms / 1000,
      });
    }
    const t0 = performance.now();
    const orama = await buildOramaIndex(ds.corpus, ws.deps.embedder);
    const oramaSeconds = (performance.now() - t0) / 1000;
    results['orama-bm25'] = await measureEngine(oramaBm25(orama, K), ds, queries, oramaSeconds);
    // The same balance as ours: the embedder's fusion weight turned into the raw-score alpha.
    const vectorWeight = effectiveAlpha(
      alpha,
      ws.deps.embedder.fusionWeight ?? DEFAULT_FUSION_WEIGHT,
    );
    results['orama-hybrid'] = await measureEngine(
      oramaHybrid(orama, K, vectorWeight),
      ds,
      queries,
      oramaSeconds,
    );
    const t1 = performance.now();
    const mini = createMiniSearchEngine(ds.corpus, K);
    results.minisearch = await measureEngine(mini, ds, queries, (performance.now() - t1) / 1000);
    const t2 = performance.now();
    const ref = createReferenceBm25(ds.corpus, K);
    results['bm25-reference'] = await measureEngine(
      ref,
      ds,
      queries,
      (performance.now() - t2) / 1000,
    );
  } finally {
    await ws.close();
  }
  const comparisons = COMPARISONS.map(([ours, peer]) => {
    const o = results[ours]!;
    const p = results[peer]!;
    const c = {
      ours,
      peer,
      ndcg10: [o.metrics.ndcg10, p.metrics.ndcg10],
      ndcg10Ratio: ratio(o.metrics.ndcg10, p.metrics.ndcg10),
      p50Ms: [o.latencyMs.p50, p.latencyMs.p50],
      p50Ratio: ratio(o.latencyMs.p50, p.latencyMs.p50),
      p95Ms: [o.latencyMs.p95, p.latencyMs.p95],
      p95Ratio: ratio(o.latencyMs.p95, p.latencyMs.p95),
    };
    console.log(
      `peers ${name} ${ours} vs ${peer}: nDCG@10 ${o.metrics.ndcg10.toFixed(4)} vs ${p.metrics.ndcg10.toFixed(4)} (${x(c.ndcg10Ratio)}), ` +
        `p50 ${o.latencyMs.p50.toFixed(2)} vs ${p.latencyMs.p50.toFixed(2)} ms (${x(c.p50Ratio)}), ` +
        `p95 ${o.latencyMs.p95.toFixed(2)} vs ${p.latencyMs.p95.toFixed(2)} ms (${x(c.p95Ratio)})`,
    );
    return c;
  });
  datasets.push({
    dataset: name,
    documents: ds.corpus.length,
    queries: queries.length,
    engines: results,
    comparisons,
  });
}

await writeResult(join(import.meta.dirname, 'results'), 'peers.json', {
  machine: machineInfo(),
  revision: sourceRevision(),
  k: K,
  alpha,
  datasets,
});
