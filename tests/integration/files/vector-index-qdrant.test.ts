import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHashingEmbedder,
  createQdrantIndex,
  DEFAULT_BM25,
  type VectorIndex,
} from '@rag/core';

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

  it('creates one shared collection with dense cosine + sparse BM25 (idf) and a tenant index on user_id', () => {
    const create = standin.requests.find(
      (r) => r.method === 'PUT' && r.path === '/collections/requests',
    );
    expect(create?.body).toEqual({
      vectors: { dense: { size: 768, distance: 'Cosine' } },
      sparse_vectors: { bm25: { modifier: 'idf' } },
    });
    const indexes = standin.requests
      .filter((r) => r.path === '/collections/requests/index')
      .map((r) => r.body);
    expect(indexes).toContainEqual({
      field_name: 'user_id',
      field_schema: { type: 'keyword', is_tenant: true },
    });
    expect(indexes).toContainEqual({ field_name: 'file_id', field_schema: 'keyword' });
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
        category: null,
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
    });
    expect(point.vector.bm25.indices.length).toBe(2);

    const from = standin.requests.length;
    await index.search({
      userId: user,
      mode: 'hybrid',
      text: 'hello',
      alpha: 0.5,
      limit: 5,
      filter: { categories: ['x'] },
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
