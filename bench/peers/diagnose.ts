// Why a peer ranks below the plain BM25 reference: re-runs it, and the reference, with one suspected
// cause changed at a time, and prints nDCG@10 (quality only, one query at a time, no ours).
// node --import tsx bench/peers/diagnose.ts scifact [limit=100 (0 = all)] [engine regex] [per-query.json]
// The optional last argument writes each engine's per-query nDCG@10 (to compare with `pnpm eval`'s rows).
import { join } from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

import { stopwords as englishStopwords } from '@orama/stopwords/english';

import { createHashingEmbedder } from '@rag/core/testing';

import { loadBeir } from '../lib/beir';
import { evalDataRoot } from '../lib/eval-data';
import { renderRecord } from '../lib/ingest-corpus';
import { meanMetrics, queryMetrics, isScorable } from '../lib/metrics';
import { bm25Family } from './bm25-reference';
import type { PeerFamily } from './engine';
import { fts5Family } from './fts5';
import { lancedbFamily } from './lancedb';
import { createMinisearchFamily } from './minisearch';
import { oramaFamily } from './orama';

const [set = 'scifact', limit = '100', only = '', perQueryFile] = process.argv.slice(2);
const ds = await loadBeir(join(evalDataRoot(process.env), set));
const language = set.endsWith('_vi') ? 'vietnamese' : 'english';
const queries = ds.queries
  .filter((q) => isScorable(ds.qrels.get(q.id) ?? new Map()))
  .slice(0, Number(limit) || undefined);
const embedder = createHashingEmbedder(768);
const vectors = await embedder.embed(ds.corpus.map(renderRecord), { kind: 'document' });
const dir = await mkdtemp(join(tmpdir(), 'peers-diagnose-'));
const families: PeerFamily[] = [
  bm25Family({ name: 'reference k1 0.9 b 0.4', k1: 0.9, b: 0.4 }),
  bm25Family({
    name: 'reference k1 0.9 b 0.4, unique words',
    k1: 0.9,
    b: 0.4,
    uniqueQueryTerms: true,
  }),
  bm25Family({ name: 'reference k1 1.2 b 0.75', k1: 1.2, b: 0.75 }),
  bm25Family({
    name: 'reference k1 1.2 b 0.75, unique words',
    k1: 1.2,
    b: 0.75,
    uniqueQueryTerms: true,
  }),
  bm25Family({ name: 'reference k1 1.2 b 0.7', k1: 1.2, b: 0.7 }),
  bm25Family({ name: 'reference, FTS5 idf', k1: 0.9, b: 0.4, idf: 'robertson' }),
  bm25Family({
    name: 'reference, FTS5 k1 b idf unique',
    k1: 1.2,
    b: 0.75,
    idf: 'robertson',
    uniqueQueryTerms: true,
  }),
  bm25Family({ name: 'reference, coordination', k1: 0.9, b: 0.4, coordination: true }),
  bm25Family({
    name: 'reference + Orama stop words',
    k1: 0.9,
    b: 0.4,
    stopWords: new Set(englishStopwords),
  }),
  fts5Family('unicode61'),
  fts5Family('porter'),
  fts5Family('keepDiacritics'),
  lancedbFamily(0.4),
  lancedbFamily(0.4, false),
  createMinisearchFamily(),
  createMinisearchFamily({ k: 0.9, b: 0.4, d: 0.5 }, 'minisearch k 0.9 b 0.4 d 0.5'),
  createMinisearchFamily({ k: 0.9, b: 0.4, d: 0 }, 'minisearch k 0.9 b 0.4 d 0'),
  createMinisearchFamily(undefined, 'minisearch without stop words', false),
  oramaFamily('docs', 0.4),
  oramaFamily('docs', 0.4, true),
  oramaFamily('whole-term', 0.4),
  oramaFamily('whole-term', 0.4, true),
];
const perQuery: Record<string, Record<string, number>> = {};
try {
  for (const family of families.filter((f) => f.appliesTo(language) && f.name.match(only))) {
    const index = await family.build({
      records: ds.corpus,
      vectors,
      dimensions: 768,
      language,
      dir,
    });
    for (const engine of index.engines.filter((e) => e.kind === 'keyword')) {
      const rows = [];
      const byQuery: Record<string, number> = {};
      for (const q of queries) {
        const ranked = await engine.search({ id: q.id, text: q.text, vector: [] }, 100);
        const row = queryMetrics(ranked, ds.qrels.get(q.id) ?? new Map());
        rows.push(row);
        byQuery[q.id] = row.ndcg10;
      }
      perQuery[`${family.name}/${engine.name}`] = byQuery;
      const m = meanMetrics(rows);
      console.log(
        `${set}\t${family.name}/${engine.name}\tnDCG@10 ${m.ndcg10.toFixed(4)}\tR@100 ${m.recall100.toFixed(3)}`,
      );
    }
    await index.close();
  }
  if (perQueryFile) await writeFile(perQueryFile, JSON.stringify(perQuery, null, 1));
} finally {
  await rm(dir, { recursive: true, force: true });
}
