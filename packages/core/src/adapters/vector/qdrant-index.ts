import { QdrantClient } from '@qdrant/js-client-rest';

import type { Bm25Params } from '../../domain/search/bm25';
import { fuseHybrid } from '../../domain/search/fusion';
import type { KeywordOptions } from '../../domain/search/keyword-options';
import type { SparseVector } from '../../domain/search/sparse';
import { AppError } from '../../errors';
import type { Embedder } from '../../ports/embedder';
import { queryVectorOf } from '../embedding/embed-query';
import type {
  ChunkRecord,
  SearchHit,
  SearchQuery,
  StoredChunk,
  VectorIndex,
  WriteClaim,
} from '../../ports/vector-index';
import { chunkBm25, TERMS_KEY, userQueryVector } from './qdrant-bm25';
import { ensureCollection } from './qdrant-collection';
import { deleteFilter, searchFilter, userCondition, type QdrantFilter } from './qdrant-filters';

export type QdrantIndexOptions = {
  url: string;
  apiKey?: string;
  /** The one shared collection; each user's logical collection `user_<id>` is a tenant inside it. */
  collection: string;
  embedder: Embedder;
  bm25: Bm25Params;
  /**
   * Average chunk length in tokens for BM25 length normalisation. Fixed, not per user: it is baked
   * into every stored vector, so following each user's average would mean rewriting their vectors.
   */
  avgLength?: number;
  /** Keyword options: only `termsOnce` (a query-side weight) applies to Qdrant's BM25; default plain. */
  keyword?: KeywordOptions;
  upsertBatch?: number;
  /**
   * The files whose jobs these claims still hold (the job table is in the database, not in Qdrant):
   * checked before a claimed write and again after it, when the points of a lost claim are removed.
   */
  heldFiles?: (claims: WriteClaim[]) => Promise<Set<string>>;
};

type Payload = Record<string, unknown>;

function toStoredChunk(id: string, p: Payload): StoredChunk {
  return {
    id,
    userId: String(p.user_id),
    fileId: String(p.file_id),
    filename: String(p.source),
    chunkIndex: Number(p.chunk_index),
    content: String(p.text),
    page: typeof p.page === 'number' ? p.page : null,
    pageLabel: (p.page_label as string | null | undefined) ?? null,
    section: (p.section as string | null | undefined) ?? null,
    charStart: Number(p.char_start),
    charEnd: Number(p.char_end),
  };
}

/** Qdrant with one shared collection: dense cosine vectors + sparse BM25 (per-user idf), `user_id` tenants. */
export function createQdrantIndex(opts: QdrantIndexOptions): VectorIndex {
  const client = new QdrantClient({
    url: opts.url,
    apiKey: opts.apiKey,
    checkCompatibility: false,
  });
  const name = opts.collection;
  const dim = opts.embedder.dimensions;
  const sparseParams = { ...opts.bm25, avgLength: opts.avgLength ?? 120 };
  const upsertBatch = opts.upsertBatch ?? 128;
  // Count-then-delete must not interleave with another write of the same user in this process.
  const locks = new Map<string, Promise<unknown>>();
  function withUserLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const run = (locks.get(userId) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => undefined);
    locks.set(userId, settled);
    void settled.then(() => locks.get(userId) === settled && locks.delete(userId));
    return run;
  }

  async function countWhere(filter: QdrantFilter): Promise<number> {
    return (await client.count(name, { filter, exact: true })).count;
  }

  async function deleteWhere(filter: QdrantFilter): Promise<number> {
    const n = await countWhere(filter);
    if (n > 0) await client.delete(name, { wait: true, filter });
    return n;
  }

  async function scoredQuery(
    q: SearchQuery,
    using: 'dense' | 'bm25',
    query: number[] | SparseVector,
    limit: number,
    ids?: string[],
  ) {
    if (!Array.isArray(query) && query.indices.length === 0) return [];
    const res = await client.query(name, {
      query,
      using,
      filter: searchFilter(q.userId, q.filter, ids),
      limit,
      // The term list is for statistics only; results need not carry it.
      with_payload: { exclude: [TERMS_KEY] },
    });
    return res.points.map((p) => ({
      chunk: toStoredChunk(String(p.id), p.payload ?? {}),
      score: p.score,
    }));
  }

  async function search(q: SearchQuery): Promise<SearchHit[]> {
    if (q.mode === 'keyword') {
      const hits = await scoredQuery(
        q,
        'bm25',
        await userQueryVector(client, name, q, opts.keyword),
        q.limit,
      );
      return hits.map((h) => ({ ...h, semanticScore: null, keywordScore: h.score }));
    }
    const embedded = () => queryVectorOf(opts.embedder, q);
    if (q.mode === 'semantic') {
      const hits = await scoredQuery(q, 'dense', await embedded(), q.limit);
      return hits.map((h) => ({ ...h, semanticScore: h.score, keywordScore: null }));
    }
    const pool = Math.min(Math.max(q.limit * 4, 40), 400);
    // One query vector for both keyword passes: the restricted "missing score" query must use the
    // same weights as the candidate query.
    const [vector, sparse] = await Promise.all([
      embedded(),
      userQueryVector(client, name, q, opts.keyword),
    ]);
    const [semHits, kwHits] = await Promise.all([
      scoredQuery(q, 'dense', vector, pool),
      scoredQuery(q, 'bm25', sparse, pool),
    ]);
    const chunks = new Map<string, StoredChunk>();
    const sem = new Map<string, number>();
    const kw = new Map<string, number>();
    for (const h of semHits) {
      chunks.set(h.chunk.id, h.chunk);
      sem.set(h.chunk.id, h.score);
    }
    for (const h of kwHits) {
      chunks.set(h.chunk.id, h.chunk);
      kw.set(h.chunk.id, h.score);
    }
    // Each candidate's missing score, computed exactly by restricting the other query to those ids.
    const missingSem = [...kw.keys()].filter((id) => !sem.has(id));
    const missingKw = [...sem.keys()].filter((id) => !kw.has(id));
    const [moreSem, moreKw] = await Promise.all([
      missingSem.length ? scoredQuery(q, 'dense', vector, missingSem.length, missingSem) : [],
      missingKw.length ? scoredQuery(q, 'bm25', sparse, missingKw.length, missingKw) : [],
    ]);
    for (const h of moreSem) sem.set(h.chunk.id, h.score);
    for (const h of moreKw) kw.set(h.chunk.id, h.score);
    return fuseHybrid(chunks, sem, kw, q.alpha, q.limit);
  }

  async function write(userId: string, records: ChunkRecord[]) {
    const indexedAt = Math.floor(Date.now() / 1000);
    for (let i = 0; i < records.length; i += upsertBatch) {
      await client.upsert(name, {
        wait: true,
        points: records.slice(i, i + upsertBatch).map((r) => {
          const bm25 = chunkBm25(r.content, sparseParams);
          return {
            id: r.id,
            vector: { dense: Array.from(r.embedding), bm25: bm25.vector },
            payload: {
              user_id: userId,
              file_id: r.fileId,
              source: r.filename,
              chunk_index: r.chunkIndex,
              text: r.content,
              page: r.page,
              page_label: r.pageLabel,
              section: r.section,
              char_start: r.charStart,
              char_end: r.charEnd,
              indexed_at: indexedAt,
              [TERMS_KEY]: bm25.terms,
            },
          };
        }),
      });
    }
  }

  return {
    name: `qdrant (${name})`,
    init: () => ensureCollection(client, name, dim),
    async upsert(userId, all, claim) {
      for (const r of all) {
        if (r.userId !== userId)
          throw new AppError('INTERNAL', 'chunk owner does not match the upsert user');
      }
      // Qdrant has no transaction with the job table: the claim is checked before the write, and
      // after it the points of a claim lost meanwhile are removed again (by id: only our own).
      const held = claim && opts.heldFiles;
      const guarded = new Set(claim?.jobs.map((j) => j.fileId));
      const claimed = async (rows: ChunkRecord[]) => {
        if (!held) return rows;
        const files = await held([claim]);
        return rows.filter((r) => !guarded.has(r.fileId) || files.has(r.fileId));
      };
      const records = await claimed(all);
      await write(userId, records);
      if (!held) return;
      const still = new Set((await claimed(records)).map((r) => r.id));
      const lost = records.filter((r) => !still.has(r.id)).map((r) => r.id);
      if (lost.length) await client.delete(name, { wait: true, points: lost });
    },
    search,
    deleteByFile: (userId, fileId) =>
      withUserLock(userId, () =>
        deleteWhere({
          must: [userCondition(userId), { key: 'file_id', match: { value: fileId } }],
        }),
      ),
    deleteByFilter: (userId, filter) =>
      withUserLock(userId, () => deleteWhere(deleteFilter(userId, filter))),
    reset: (userId) => withUserLock(userId, () => deleteWhere({ must: [userCondition(userId)] })),
    count: (userId, filter) => countWhere(searchFilter(userId, filter)),
    async fileIds(userId) {
      const res = await client.facet(name, {
        key: 'file_id',
        exact: true,
        limit: 1_000_000,
        ...(userId ? { filter: { must: [userCondition(userId)] } } : {}),
      });
      return res.hits.map((h) => String(h.value));
    },
    async purgeFiles(fileIds) {
      if (fileIds.length === 0) return 0;
      return deleteWhere({ must: [{ key: 'file_id', match: { any: fileIds } }] });
    },
    async ping() {
      await client.collectionExists(name);
    },
    async close() {},
  };
}
