import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHashingEmbedder,
  bm25Idf,
  createQdrantIndex,
  DEFAULT_BM25,
  documentTerms,
  termId,
  type VectorIndex,
} from '@rag/core/testing';

import { chunkRecord } from '../../support/fixtures';
import { startQdrantStandIn, type QdrantStandIn } from '../../support/qdrant-standin';
import { vectorIndexContract } from '../../support/vector-index-contract';

const embedder = createHashingEmbedder();
let standin: QdrantStandIn;
const started = startQdrantStandIn().then((s) => (standin = s));
afterAll(async () => standin?.close());

const open = async (collection: string) => {
  const s = await started;
  const index = createQdrantIndex({ url: s.url, collection, embedder, bm25: DEFAULT_BM25 });
  await index.init();
  return index;
};

vectorIndexContract('Qdrant adapter against the REST stand-in', async () => {
  const index = await open('contract');
  return { index, embedder, close: async () => index.close() };
});

describe('Qdrant requests', () => {
  let index: VectorIndex;
  const user = randomUUID();
  beforeAll(async () => {
    index = await open('requests');
  });

  it('creates one shared collection with dense cosine + sparse BM25 (no collection-wide idf) and a tenant index on user_id', () => {
    const create = standin.requests.find(
      (r) => r.method === 'PUT' && r.path === '/collections/requests',
    );
    expect(create?.body).toEqual({
      vectors: { dense: { size: 768, distance: 'Cosine' } },
      sparse_vectors: { bm25: { modifier: 'none' } },
    });
    const indexes = standin.requests
      .filter((r) => r.path === '/collections/requests/index')
      .map((r) => r.body);
    expect(indexes).toContainEqual({
      field_name: 'user_id',
      field_schema: { type: 'keyword', is_tenant: true },
    });
    expect(indexes).toContainEqual({ field_name: 'file_id', field_schema: 'keyword' });
    expect(indexes).toContainEqual({ field_name: 'terms', field_schema: 'keyword' });
    expect(indexes).toContainEqual({ field_name: 'page', field_schema: 'integer' });
  });

  it('puts the tenant condition in every query, count and delete', async () => {
    const [v] = await embedder.embed(['hello world']);
    const fileId = randomUUID();
    await index.upsert(user, [
      {
        id: randomUUID(),
        userId: user,
        fileId,
        filename: 'a.txt',
        chunkIndex: 0,
        content: 'hello world',
        page: null,
        pageLabel: null,
        section: null,
        charStart: 0,
        charEnd: 11,
        embedding: v!,
      },
    ]);
    const upsert = standin.requests.findLast(
      (r) => r.method === 'PUT' && r.path === '/collections/requests/points',
    );
    const point = (
      upsert!.body as {
        points: { payload: Record<string, unknown>; vector: { bm25: { indices: number[] } } }[];
      }
    ).points[0]!;
    expect(point.payload).toMatchObject({
      user_id: user,
      file_id: fileId,
      source: 'a.txt',
      text: 'hello world',
      // An English passage is indexed by its stems, in their own namespace (never equal to a Vietnamese word).
      terms: ['~hello', '~world'],
    });
    expect(point.vector.bm25.indices.length).toBe(2);

    const from = standin.requests.length;
    await index.search({
      userId: user,
      mode: 'hybrid',
      text: 'hello',
      alpha: 0.5,
      limit: 5,
      filter: { pages: [1] },
    });
    await index.deleteByFilter(user, {
      must: [],
      should: [{ key: 'source', values: ['a.txt'] }],
      mustNot: [],
    });
    await index.deleteByFile(user, fileId);
    await index.count(user);
    const scoped = standin.requests
      .slice(from)
      .filter((r) => /points\/(query|count|delete)$/.test(r.path));
    expect(scoped.length).toBeGreaterThan(4);
    for (const r of scoped) {
      expect((r.body as { filter: { must: unknown[] } }).filter.must).toContainEqual({
        key: 'user_id',
        match: { value: user },
      });
    }
  });

  it('weights the query by the user’s own N and df, counted in Qdrant; absent terms drop out', async () => {
    const me = randomUUID();
    const texts = ['hello world', 'hello there', 'goodbye world'];
    const vectors = await embedder.embed(texts);
    await index.upsert(
      me,
      texts.map((content, i) => chunkRecord(me, content, vectors[i]!)),
    );
    const from = standin.requests.length;
    const hits = await index.search({
      userId: me,
      mode: 'keyword',
      text: 'hello hello zzzz',
      alpha: 0,
      limit: 5,
    });
    expect(hits.map((h) => h.chunk.content).sort()).toEqual(['hello there', 'hello world']);
    const sent = standin.requests.slice(from);
    const counts = sent.filter((r) => r.path.endsWith('/points/count')).map((r) => r.body);
    const user = { key: 'user_id', match: { value: me } };
    expect(counts).toEqual(
      expect.arrayContaining([
        { filter: { must: [user] }, exact: true },
        { filter: { must: [user, { key: 'terms', match: { value: 'hello' } }] }, exact: true },
        { filter: { must: [user, { key: 'terms', match: { value: 'zzzz' } }] }, exact: true },
      ]),
    );
    const query = sent.find((r) => r.path.endsWith('/points/query'))!.body as {
      query: { indices: number[]; values: number[] };
      with_payload: unknown;
    };
    // N = 3, df(~hello) = 2, qtf = 2 (the passages are English: their terms are stems); the folded
    // "hello" and "zzzz" (df 0) are not sent.
    expect(query.query).toEqual({ indices: [termId('~hello')], values: [2 * bm25Idf(3, 2)] });
    expect(query.with_payload).toEqual({ exclude: ['terms'] });
    await index.reset(me);
  });

  it('refuses a collection whose vector size differs from the embedder', async () => {
    const s = await started;
    const other = createQdrantIndex({
      url: s.url,
      collection: 'requests',
      embedder: createHashingEmbedder(64),
      bm25: DEFAULT_BM25,
    });
    await expect(other.init()).rejects.toThrow(/size 768.*produces 64/);
  });
});

describe('a collection built with Qdrant’s collection-wide idf (an earlier version)', () => {
  it('is upgraded in place on init and then scores like a new one', async () => {
    const s = await started;
    await fetch(`${s.url}/collections/legacy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        vectors: { dense: { size: 768, distance: 'Cosine' } },
        sparse_vectors: { bm25: { modifier: 'idf' } },
      }),
    });
    const legacy = createQdrantIndex({
      url: s.url,
      collection: 'legacy',
      embedder,
      bm25: DEFAULT_BM25,
    });
    const fresh = await open('fresh');
    const me = randomUUID();
    const other = randomUUID();
    const topics = ['rivers', 'mountains', 'cities'];
    // More chunks than one scroll page (256), so the upgrade pages through them.
    const mineTexts = Array.from(
      { length: 300 },
      (_, i) => `note ${i} about ${topics[i % 3]!} and ${i % 7 === 0 ? 'volcanoes' : 'plains'}`,
    );
    const theirTexts = Array.from({ length: 20 }, (_, i) => `volcanoes everywhere ${i}`);
    const [mineVectors, theirVectors] = await Promise.all([
      embedder.embed(mineTexts),
      embedder.embed(theirTexts),
    ]);
    const mine = mineTexts.map((t, i) => chunkRecord(me, t, mineVectors[i]!));
    const theirs = theirTexts.map((t, i) => chunkRecord(other, t, theirVectors[i]!));
    for (const index of [legacy, fresh]) {
      await index.upsert(me, mine);
      await index.upsert(other, theirs);
    }
    // What the earlier version stored: the same idf-free vectors, but no term list.
    const points = [...s.collections.get('legacy')!.points.values()];
    for (const p of points) delete p.payload.terms;

    const from = standin.requests.length;
    await legacy.init();
    const scrolls = standin.requests
      .slice(from)
      .filter((r) => r.path === '/collections/legacy/points/scroll');
    expect(scrolls.length).toBe(2);
    expect(s.collections.get('legacy')!.config.sparse_vectors.bm25).toEqual({ modifier: 'none' });
    for (const p of points) {
      expect(p.payload.terms).toEqual([...documentTerms(String(p.payload.text)).tf.keys()]);
    }
    for (const text of ['volcanoes rivers', 'plains cities note']) {
      const q = { userId: me, mode: 'keyword' as const, text, alpha: 0, limit: 20 };
      const [a, b] = await Promise.all([legacy.search(q), fresh.search(q)]);
      expect(a.length).toBeGreaterThan(0);
      expect(a.map((h) => [h.chunk.id, h.score])).toEqual(b.map((h) => [h.chunk.id, h.score]));
    }
    // A second start finds nothing left to do.
    const again = standin.requests.length;
    await legacy.init();
    expect(standin.requests.slice(again).some((r) => r.path.endsWith('/points/scroll'))).toBe(
      false,
    );
  });
});
