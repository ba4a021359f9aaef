import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createHashingEmbedder } from '@rag/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CorpusRecord } from '../../../bench/lib/beir';
import { bm25ReferenceFamily } from '../../../bench/peers/bm25-reference';
import type { BuildInput, PeerFamily, PeerIndex, PreparedQuery } from '../../../bench/peers/engine';
import { fts5Family, fts5MatchExpression } from '../../../bench/peers/fts5';
import { lancedbFamily } from '../../../bench/peers/lancedb';
import { buildFamily, rotate, runInterleaved } from '../../../bench/peers/measure';
import { minisearchFamily } from '../../../bench/peers/minisearch';
import { docsTokenizer, oramaFamily, wholeTermTokenizer } from '../../../bench/peers/orama';
import { ratios, type EngineResult } from '../../../bench/peers/report';

// A fixture where each query has exactly one record that answers it, and distractors that share
// some of its words, so an engine that ranks at all puts the right one first.
const ENGLISH: CorpusRecord[] = [
  { id: 'e1', title: 'Vitamin D', text: 'Vitamin D deficiency weakens bones in older adults.' },
  { id: 'e2', title: 'Sleep', text: 'Adults who sleep less than six hours report more headaches.' },
  { id: 'e3', title: 'Cells', text: 'Stem cells differentiate into neurons under retinoic acid.' },
  { id: 'e4', title: 'Bones', text: 'Running strengthens the legs of young athletes.' },
];
const VIETNAMESE: CorpusRecord[] = [
  { id: 'v1', title: 'Hợp đồng', text: 'Hợp đồng lao động phải được lập thành văn bản.' },
  { id: 'v2', title: 'Thuế', text: 'Người nộp thuế được hoàn thuế giá trị gia tăng.' },
  { id: 'v3', title: 'Đất đai', text: 'Quyền sử dụng đất được chuyển nhượng theo luật đất đai.' },
];

const embedder = createHashingEmbedder(64);
let dir: string;
const open: PeerIndex[] = [];

async function input(records: CorpusRecord[], language: BuildInput['language']) {
  const texts = records.map((r) => `# ${r.title}\n\n${r.text}\n`);
  return {
    records,
    vectors: await embedder.embed(texts, { kind: 'document' }),
    dimensions: embedder.dimensions,
    language,
    dir: await mkdtemp(join(dir, 'set-')),
  };
}

async function query(id: string, text: string): Promise<PreparedQuery> {
  return { id, text, vector: (await embedder.embed([text], { kind: 'query' }))[0]! };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peers-test-'));
});
afterAll(async () => {
  for (const index of open) await index.close();
  await rm(dir, { recursive: true, force: true });
});

const families: PeerFamily[] = [
  bm25ReferenceFamily,
  fts5Family('unicode61'),
  fts5Family('porter'),
  lancedbFamily(0.4),
  oramaFamily('docs', 0.4),
  oramaFamily('whole-term', 0.4),
  minisearchFamily,
];

describe('each peer adapter ranks the tiny fixture', () => {
  it.each(families.map((f) => [f.name, f] as const))('%s (English)', async (_name, family) => {
    const { index, report } = await buildFamily(family, await input(ENGLISH, 'english'));
    open.push(index);
    expect(report.seconds).toBeGreaterThanOrEqual(0);
    const q = await query('q1', 'does vitamin D deficiency weaken bones?');
    for (const engine of index.engines) {
      const ranked = await engine.search(q, 10);
      expect(ranked[0], engine.name).toBe('e1');
      expect(new Set(ranked).size, engine.name).toBe(ranked.length);
      expect(ENGLISH.map((r) => r.id)).toEqual(expect.arrayContaining(ranked));
      expect((await engine.search(q, 1)).length, engine.name).toBeLessThanOrEqual(1);
    }
  });

  it.each(families.filter((f) => f.appliesTo('vietnamese')).map((f) => [f.name, f] as const))(
    '%s (Vietnamese)',
    async (_name, family) => {
      const { index } = await buildFamily(family, await input(VIETNAMESE, 'vietnamese'));
      open.push(index);
      const q = await query('q2', 'chuyển nhượng quyền sử dụng đất');
      for (const engine of index.engines)
        expect((await engine.search(q, 10))[0], engine.name).toBe('v3');
    },
  );

  it('skips the Porter stemmer on Vietnamese sets', () => {
    expect(fts5Family('porter').appliesTo('vietnamese')).toBe(false);
    expect(fts5Family('unicode61').appliesTo('vietnamese')).toBe(true);
  });
});

describe('query and token glue', () => {
  it('quotes every word of an FTS5 query and ORs them, so syntax characters are plain words', () => {
    expect(fts5MatchExpression('NOT a "b" (c) AND d-e: Đất')).toBe(
      '"not" OR "a" OR "b" OR "c" OR "and" OR "d" OR "e" OR "đất"',
    );
    expect(fts5MatchExpression(' ?! ')).toBeNull();
  });

  it('the whole-term tokenizer stops "cell" from matching "cellular" in Orama', () => {
    const base = docsTokenizer('english');
    const whole = wholeTermTokenizer(base);
    const [cell] = whole.tokenize('cell');
    const [cellular] = whole.tokenize('cellular');
    expect(cellular!.startsWith(cell!)).toBe(false);
    expect(base.tokenize('the cells')).toEqual(['cell']);
  });

  it('Vietnamese tokens keep their diacritics and whole syllables', () => {
    expect(docsTokenizer('vietnamese').tokenize('Quyền SỬ DỤNG đất, đất')).toEqual([
      'quyền',
      'sử',
      'dụng',
      'đất',
    ]);
  });
});

describe('measurement', () => {
  it('rotates the engine order from one query to the next', () => {
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
  });

  it('scores every engine on every query and counts throughput', async () => {
    const { index } = await buildFamily(bm25ReferenceFamily, await input(ENGLISH, 'english'));
    const queries = [await query('q1', 'vitamin D bones'), await query('q2', 'stem cells neurons')];
    const qrels = new Map([
      ['q1', new Map([['e1', 1]])],
      ['q2', new Map([['e3', 1]])],
    ]);
    const runs = await runInterleaved(index.engines, queries, qrels, {
      k: 10,
      concurrency: 8,
      warmup: 1,
      label: 'test',
    });
    const run = runs.get('bm25-reference')!;
    expect(run.metrics.ndcg10).toBe(1);
    expect(run.metrics.recall100).toBe(1);
    expect(run.throughputQps).toBeGreaterThan(0);
    expect(run.latencyMs.p99).toBeGreaterThanOrEqual(run.latencyMs.p50);
  });

  it('reports ours ÷ peer, and null where the peer has no size', () => {
    const result = (ndcg: number, p95: number, disk: number | null): EngineResult => ({
      kind: 'keyword',
      family: 'x',
      settings: {},
      build: { seconds: 2, rssDeltaBytes: 10, diskBytes: disk },
      metrics: { ndcg10: ndcg, ndcg10Exp: ndcg, recall10: 1, recall100: 1, mrr10: 1 },
      latencyMs: { p50: p95, p95, p99: p95, mean: p95 },
      throughputQps: 100,
    });
    const r = ratios(result(0.6, 10, 100), result(0.5, 5, null));
    expect(r.ndcg10).toBeCloseTo(1.2);
    expect(r.p95).toBe(2);
    expect(r.diskBytes).toBeNull();
  });
});
