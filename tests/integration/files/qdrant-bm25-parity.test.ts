import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHashingEmbedder,
  createPgvectorIndex,
  createQdrantIndex,
  documentTerms,
  patchKeywordOptions,
  PLAIN_KEYWORD,
  splitText,
  type ChunkRecord,
  type Database,
  type SearchHit,
  type VectorIndex,
} from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';
import { openTemplateDatabase } from '../../support/harness';
import { startQdrantStandIn, type QdrantStandIn } from '../../support/qdrant-standin';

/**
 * Both adapters score BM25 alike: the same Lucene idf over the user's own chunks, the same saturated,
 * length-normalised term frequencies. Qdrant's average length is a setting (pgvector tracks each
 * user's), so it is set here to this user's true average.
 */
const embedder = createHashingEmbedder();
let database: Database;
let standin: QdrantStandIn;
let pgvector: VectorIndex;
let qdrant: VectorIndex;
let avgLength = 0;
const me = randomUUID();
const other = randomUUID();

async function chunksOf(userId: string, files: string[]): Promise<ChunkRecord[]> {
  const out: ChunkRecord[] = [];
  for (const file of files) {
    const text = readFileSync(corpusPath(file), 'utf8');
    const fileId = randomUUID();
    const spans = splitText(text, { size: 800, overlap: 150 }).slice(0, 40);
    const contents = spans.map((s) => text.slice(s.start, s.end));
    const vectors = await embedder.embed(contents);
    contents.forEach((content, i) =>
      out.push({
        id: randomUUID(),
        userId,
        fileId,
        filename: file,
        chunkIndex: i,
        content,
        page: null,
        pageLabel: null,
        section: null,
        charStart: spans[i]!.start,
        charEnd: spans[i]!.end,
        embedding: vectors[i]!,
      }),
    );
  }
  return out;
}

beforeAll(async () => {
  [database, standin] = await Promise.all([openTemplateDatabase(), startQdrantStandIn()]);
  const mine = await chunksOf(me, [
    'md/vietnamese-provinces-README_vi.md',
    'md/thinking-in-react.md',
  ]);
  const theirs = await chunksOf(other, ['txt/rfc2616.txt']);
  avgLength = mine.reduce((sum, c) => sum + documentTerms(c.content).length, 0) / mine.length;
  pgvector = createPgvectorIndex({ db: database.db, embedder });
  qdrant = createQdrantIndex({
    url: standin.url,
    collection: 'parity',
    embedder,
    bm25: { k1: 1.2, b: 0.75 },
    avgLength,
  });
  await Promise.all([pgvector.init(), qdrant.init()]);
  for (const index of [pgvector, qdrant]) {
    await index.upsert(me, mine);
    await index.upsert(other, theirs);
  }
});
afterAll(async () => {
  await Promise.all([pgvector?.close(), qdrant?.close()]);
  await Promise.all([database?.close(), standin?.close()]);
});

const queries = [
  'thành phố trực thuộc trung ương',
  'thanh pho truc thuoc trung uong',
  'tỉnh Quảng Nam mã hành chính',
  'state props component hierarchy',
  'build a static version in React',
  'request header cache', // terms the other user's corpus is full of
];

const scores = (hits: SearchHit[]) => new Map(hits.map((h) => [h.chunk.id, h.score]));

describe('BM25 parity between the pgvector and Qdrant adapters', () => {
  it.each(queries)('keyword scores agree for "%s"', async (text) => {
    const q = { userId: me, mode: 'keyword' as const, text, limit: 20, alpha: 0 };
    const [a, b] = await Promise.all([pgvector.search(q), qdrant.search(q)]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBe(a.length);
    const fromQdrant = scores(b);
    // Ties may come in either order; every chunk has the same score in both.
    for (const hit of a) expect(fromQdrant.get(hit.chunk.id)).toBeCloseTo(hit.score, 9);
  });

  it('hybrid keyword scores agree too (the restricted "missing score" pass included)', async () => {
    const text = 'component state hierarchy tỉnh';
    const [vector] = await embedder.embed([text], { kind: 'query' });
    const q = { userId: me, mode: 'hybrid' as const, text, vector, limit: 30, alpha: 0.5 };
    const [a, b] = await Promise.all([pgvector.search(q), qdrant.search(q)]);
    const kw = new Map(b.map((h) => [h.chunk.id, h.keywordScore]));
    const shared = a.filter((h) => kw.has(h.chunk.id));
    expect(shared.length).toBeGreaterThan(10);
    for (const h of shared) expect(kw.get(h.chunk.id)).toBeCloseTo(h.keywordScore!, 9);
  });

  it('with termsOnce, a repeated English query word counts once, on both adapters', async () => {
    const once = patchKeywordOptions(PLAIN_KEYWORD, { english: { termsOnce: true } });
    const pgOnce = createPgvectorIndex({ db: database.db, embedder, keyword: once });
    const qdOnce = createQdrantIndex({
      url: standin.url,
      collection: 'parity',
      embedder,
      bm25: { k1: 1.2, b: 0.75 },
      avgLength,
      keyword: once,
    });
    // The other user's RFC is English: its chunks hold stems, which the option counts once.
    const q = (text: string) => ({ userId: other, mode: 'keyword' as const, text, limit: 20 });
    const repeated = q('request header cache, the cache of a request header');
    const single = q('request header cache of a');
    for (const [withOnce, without] of [
      [pgOnce, pgvector],
      [qdOnce, qdrant],
    ] as const) {
      const [a, b, c] = await Promise.all([
        withOnce.search({ ...repeated, alpha: 0 }),
        without.search({ ...single, alpha: 0 }),
        without.search({ ...repeated, alpha: 0 }),
      ]);
      expect(a.length).toBeGreaterThan(0);
      const plain = scores(b);
      for (const hit of a) expect(plain.get(hit.chunk.id)).toBeCloseTo(hit.score, 9);
      // Without the option the repeats weigh twice.
      expect(c[0]!.score).toBeGreaterThan(a[0]!.score * 1.5);
    }
  });
});
