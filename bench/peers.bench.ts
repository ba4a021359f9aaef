// Retrieval quality, latency, throughput and index cost of our system next to the strongest embedded
// engines, each configured the way its own docs recommend (bench/peers/*.ts say how and why): SQLite FTS5,
// LanceDB (FTS and hybrid, RRF and linear), Orama (docs config and a labelled whole-term workaround),
// MiniSearch, and the corpus README's plain BM25. Every hybrid peer gets the SAME vectors: our embedder's,
// computed once per set. Queries are interleaved across engines (bench/peers/measure.ts).
// PEERS_DATASETS=a,b restricts the sets; PEERS_LIMIT_QUERIES=N the queries per set (default 100, the first
// N scorable ones in file order, 0 = all); PEERS_ENGINES=ours,fts5-porter,lancedb,... the families
// (bm25-reference always runs; without ours no ratio is reported); PEERS_CONCURRENCY (default 8) the queries in flight for throughput.
// bench/results/peers.json keeps every set: a run replaces the entries of the sets it ran (each with its
// revision and load average). A narrowed run (PEERS_ENGINES or PEERS_LIMIT_QUERIES) writes peers-narrow.json.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_FUSION_WEIGHT, effectiveAlpha, QuestionRequest } from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { DEV_SETS, evalDataRoot } from './lib/eval-data';
import { writeResult } from './lib/evaluate';
import { openWorkspace, renderRecord } from './lib/ingest-corpus';
import { machineInfo } from './lib/machine';
import { isScorable } from './lib/metrics';
import { sourceRevision } from './lib/revision';
import { bm25ReferenceFamily } from './peers/bm25-reference';
import type { PeerEngine, PeerFamily, PeerIndex, PreparedQuery, SetLanguage } from './peers/engine';
import { belowReferenceFinding } from './peers/findings';
import { fts5Family } from './peers/fts5';
import { lancedbFamily } from './peers/lancedb';
import { buildFamily, latencyOf, runInterleaved, type BuildReport } from './peers/measure';
import { minisearchFamily } from './peers/minisearch';
import { oramaFamily } from './peers/orama';
import { mergeSets, readSets, type SetEntry } from './peers/merge-results';
import { oursFamily } from './peers/ours';
import { baselineOf, markdownTable, ratios, type EngineResult } from './peers/report';

const K = 100;
const EMBED_BATCH = 128;
const env = process.env;
const root = evalDataRoot(env);
const names = env.PEERS_DATASETS?.split(',').map((s) => s.trim()) ?? [...DEV_SETS];
const limitQueries = Number(env.PEERS_LIMIT_QUERIES ?? 100) || undefined;
const onlyFamilies = env.PEERS_ENGINES?.split(',').map((s) => s.trim());
const concurrency = Number(env.PEERS_CONCURRENCY ?? 8);

const alpha = QuestionRequest.parse({ question: '?' }).alpha;
/** The Vietnamese dev sets end in `_vi`; the others are English. */
const languageOf = (set: string): SetLanguage => (set.endsWith('_vi') ? 'vietnamese' : 'english');

const resultsDir = join(import.meta.dirname, 'results');
const narrowed = onlyFamilies !== undefined || env.PEERS_LIMIT_QUERIES !== undefined;
const resultFile = narrowed ? 'peers-narrow.json' : 'peers.json';
const earlier = narrowed ? [] : await readSets(join(resultsDir, resultFile));
const load = () => loadavg()[0]!.toFixed(1);

// Written after every set, so that a long run interrupted late still leaves the sets it finished.
const save = () =>
  writeResult(resultsDir, resultFile, {
    machine: machineInfo(),
    revision: sourceRevision(),
    k: K,
    alpha,
    concurrency,
    notes: [
      'ratios are ours ÷ peer: nDCG/recall/throughput above 1 favour ours, latency/build/RSS/disk above 1 favour the peer',
      'peers get the query vector precomputed (queryEmbeddingMs per set); ours-hybrid embeds the query inside its latency',
      'diskBytes of in-memory engines (Orama, MiniSearch) is their serialised JSON; ours is the whole DATA_DIR',
    ],
    datasets: mergeSets(earlier, datasets, DEV_SETS),
  });

const datasets: SetEntry[] = [];
for (const name of names) {
  const loadBefore = load();
  const ds = await loadBeir(join(root, name));
  const language = languageOf(name);
  const picked = ds.queries
    .filter((q) => isScorable(ds.qrels.get(q.id) ?? new Map()))
    .slice(0, limitQueries);
  const ws = await openWorkspace(env);
  const dir = await mkdtemp(join(tmpdir(), 'rag-peers-'));
  const indexes: PeerIndex[] = [];
  try {
    const { embedder } = ws.deps;
    // The balance ours fuses with, as the vector weight of the score-fusing peers.
    const vectorWeight = effectiveAlpha(alpha, embedder.fusionWeight ?? DEFAULT_FUSION_WEIGHT);
    const vectors: number[][] = [];
    for (let i = 0; i < ds.corpus.length; i += EMBED_BATCH) {
      const batch = ds.corpus.slice(i, i + EMBED_BATCH).map(renderRecord);
      vectors.push(...(await embedder.embed(batch, { kind: 'document' })));
    }
    const embedMs: number[] = [];
    const queries: PreparedQuery[] = [];
    for (const q of picked) {
      const started = performance.now();
      const [vector] = await embedder.embed([q.text], { kind: 'query' });
      embedMs.push(performance.now() - started);
      queries.push({ id: q.id, text: q.text, vector: vector! });
    }
    const families: PeerFamily[] = [
      bm25ReferenceFamily,
      fts5Family('unicode61'),
      fts5Family('porter'),
      lancedbFamily(vectorWeight),
      oramaFamily('docs', vectorWeight),
      oramaFamily('whole-term', vectorWeight),
      minisearchFamily,
      oursFamily(ws, { alpha, label: name }),
    ].filter(
      (f) =>
        f.appliesTo(language) &&
        (!onlyFamilies || ['bm25-reference', ...onlyFamilies].includes(f.name)),
    );
    const input = { records: ds.corpus, vectors, dimensions: embedder.dimensions, language, dir };
    const engines: PeerEngine[] = [];
    const built = new Map<string, { family: string; build: BuildReport }>();
    for (const family of families) {
      const { index, report } = await buildFamily(family, input);
      indexes.push(index);
      process.stderr.write(`[${name}] built ${family.name} in ${report.seconds.toFixed(1)} s\n`);
      for (const e of index.engines) {
        engines.push(e);
        built.set(e.name, { family: family.name, build: report });
      }
    }
    const runs = await runInterleaved(engines, queries, ds.qrels, {
      k: K,
      concurrency,
      warmup: Math.min(3, queries.length),
      label: name,
    });
    const results: Record<string, EngineResult> = {};
    for (const e of engines) {
      results[e.name] = {
        kind: e.kind,
        settings: e.settings,
        ...built.get(e.name)!,
        ...runs.get(e.name)!,
      };
    }
    const reference = results['bm25-reference']!.metrics.ndcg10;
    const comparisons = Object.entries(results)
      .filter(([n, p]) => !n.startsWith('ours-') && results[baselineOf(p)])
      .map(([peer, p]) => {
        const ours = baselineOf(p);
        const r = ratios(results[ours]!, p);
        const below =
          peer !== 'bm25-reference' && p.kind === 'keyword' && p.metrics.ndcg10 < reference;
        const o = results[ours]!;
        console.log(
          `peers ${name} ${ours} vs ${peer}: nDCG@10 ${o.metrics.ndcg10.toFixed(4)} vs ${p.metrics.ndcg10.toFixed(4)} ` +
            `(×${r.ndcg10?.toFixed(2)}), p95 ${o.latencyMs.p95.toFixed(2)} vs ${p.latencyMs.p95.toFixed(2)} ms ` +
            `(×${r.p95?.toFixed(2)}), ${o.throughputQps.toFixed(0)} vs ${p.throughputQps.toFixed(0)} q/s` +
            (below ? ' [below bm25-reference]' : ''),
        );
        return {
          ours,
          peer,
          ratios: r,
          ...(below
            ? { belowReference: true, finding: belowReferenceFinding(peer, language) }
            : {}),
        };
      });
    console.log(`\n${markdownTable(name, queries.length, results)}\n`);
    datasets.push({
      dataset: name,
      language,
      revision: sourceRevision(),
      machine: machineInfo(),
      // 1-minute load average at the set's start and end (the machine is shared).
      loadAverage: `${loadBefore}-${load()}`,
      documents: ds.corpus.length,
      queries: queries.length,
      queryEmbeddingMs: latencyOf(embedMs),
      engines: results,
      comparisons,
    });
    await save();
  } finally {
    for (const index of indexes) await index.close();
    await ws.close();
    await rm(dir, { recursive: true, force: true });
  }
}
