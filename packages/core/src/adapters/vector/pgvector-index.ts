import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { storedComponents } from './vector-literal';
import { DEFAULT_BM25, type Bm25Params } from '../../domain/search/bm25';
import { fuseScores } from '../../domain/search/fusion';
import { PLAIN_KEYWORD, type KeywordOptions } from '../../domain/search/keyword-options';
import { documentTermsOf, passageTerms } from '../../domain/search/tokenizer';
import type { Embedder } from '../../ports/embedder';
import { queryVectorOf } from '../embedding/embed-query';
import type {
  ChunkRecord,
  SearchHit,
  SearchQuery,
  VectorIndex,
  WriteClaim,
} from '../../ports/vector-index';
import { createBm25Cache, type Bm25Cache } from './bm25-cache';
import { cachedPostings, keywordSearch } from './pgvector-bm25';
import { loadPostings } from './postings-load';
import { createAnnIndex, type AnnIndex } from './pgvector-ann';
import { chunkFilterSql, deleteFilterSql } from './pgvector-filters';
import { semanticScores } from './pgvector-semantic';
import { assertPgvectorVersion } from './pgvector-version';
import { createGroupCommit } from './group-commit';
import { deleteChunks, insertChunks, mergePendingTerms } from '../postgres/chunk-writes';
import {
  chunkFileIds,
  chunkOwners,
  countChunks,
  largestUsers,
  loadChunks,
} from '../postgres/chunk-reads';

export type PgvectorIndexOptions = {
  db: Db;
  embedder: Embedder;
  bm25?: Bm25Params;
  /** Title weight, proximity and RM3 of the keyword side (default: plain BM25). */
  keyword?: KeywordOptions;
  insertBatch?: number;
  /** Chunks in the table before the HNSW index is built (0: from the start). */
  hnswMinChunks?: number;
  /** HNSW `ef_search` floor (pgvector's default is 40). */
  efSearch?: number;
  /** Memory for users' in-process BM25 postings (0: every keyword search runs in SQL). */
  keywordCacheBytes?: number;
  /**
   * Users with at most this many chunks keep their embeddings in memory with their postings (within the
   * same budget), and semantic scores are computed there. Default: the HNSW threshold.
   */
  memoryVectorChunks?: number;
  /** Only this process writes the database (embedded): cached postings skip the per-query version read. */
  exclusiveDatabase?: boolean;
  /** Loads the largest users' postings in the background at start-up. */
  warmKeywordCache?: boolean;
  onError?: (e: unknown) => void;
};

export type PgvectorIndex = VectorIndex & {
  /** The keyword options in force (benchmarks compare them on one index). */
  keywordOptions: KeywordOptions;
  readonly ann: AnnIndex;
  readonly keywordCache: Bm25Cache;
};

/** One `upsert`'s rows (a slice of them), and the job claims they are written under. */
type Write = { rows: ChunkRecord[]; claim?: WriteClaim };

/** New chunks whose BM25 terms wait in the GIN pending list before it is merged (one sorted pass). */
const MERGE_TERMS_AFTER = 8192;

/** Vectors (pgvector, cosine, HNSW) and BM25 (our tokenizer, per-user statistics) in the database. */
export function createPgvectorIndex(opts: PgvectorIndexOptions): PgvectorIndex {
  const { db, embedder } = opts;
  const bm25 = opts.bm25 ?? DEFAULT_BM25;
  const dim = embedder.dimensions;
  const insertBatch = opts.insertBatch ?? 512;
  const efSearch = opts.efSearch ?? 100;
  const ann = createAnnIndex(db, dim, opts.hnswMinChunks ?? 0, opts.onError ?? (() => undefined));
  let warming: Promise<void> | undefined;
  // Below the HNSW threshold search is an exact scan anyway: in memory it needs no database read.
  const vectorChunks = opts.memoryVectorChunks ?? opts.hnswMinChunks ?? 0;
  const closing = new AbortController();
  const keywordCache = createBm25Cache({
    maxBytes: opts.keywordCacheBytes ?? 256 * 2 ** 20,
    load: (userId) => loadPostings(db, userId, vectorChunks),
    vectors: { dim, maxChunks: vectorChunks },
    exclusive: opts.exclusiveDatabase,
  });

  let unmerged = 0;
  async function insert(userId: string, writes: Write[]) {
    const rows = writes.flatMap((w) => w.rows);
    const claims = writes.flatMap((w) => (w.claim ? [w.claim] : []));
    // Each chunk tokenized once: its BM25 terms and the in-memory term positions come from one pass.
    let docs = rows.map((row) => {
      const passage = row.passage ?? passageTerms(row.content);
      return {
        row,
        passage,
        terms: documentTermsOf(passage),
        vector: storedComponents(row.embedding),
      };
    });
    const { kept, ...change } = await insertChunks(
      db,
      userId,
      rows,
      docs.map((d) => d.terms),
      docs.map((d) => d.vector),
      claims,
      opts.exclusiveDatabase,
    );
    if (kept) docs = docs.filter((_, i) => kept[i]);
    if (docs.length === 0) return;
    unmerged += docs.length;
    if (unmerged >= MERGE_TERMS_AFTER) {
      unmerged = 0;
      await mergePendingTerms(db).catch(opts.onError ?? (() => undefined));
    }
    keywordCache.applied(userId, {
      ...change,
      added: docs.map(({ row: { embedding: _e, passage: _p, ...c }, passage, terms, vector }) => ({
        id: c.id,
        fileId: c.fileId,
        tokenCount: terms.length,
        tf: terms.tf,
        chunk: { ...c, userId },
        passage,
        vector,
      })),
    });
    ann.noteInserted(docs.length);
  }

  // Concurrent uploads of one user share a transaction (several hundred rows at most).
  const writes = createGroupCommit<Write>(
    insert,
    Math.max(insertBatch, 1024),
    (w) => w.rows.length,
  );

  async function search(q: SearchQuery): Promise<SearchHit[]> {
    const filterSql = chunkFilterSql(q.filter);
    const keyword = (limit: number) =>
      keywordSearch(db, bm25, keywordCache, {
        userId: q.userId,
        text: q.text,
        filter: q.filter,
        limit,
        options: index.keywordOptions,
      });
    if (q.mode === 'keyword') {
      const { top, postings } = await keyword(q.limit);
      const chunks = await loadChunks(db, q.userId, [...top.keys()], postings);
      return [...top].flatMap(([id, score]) => {
        const chunk = chunks.get(id);
        return chunk ? [{ chunk, score, semanticScore: null, keywordScore: score }] : [];
      });
    }
    const vector = await queryVectorOf(embedder, q);
    const semantic = (limit: number, restrictIds?: string[]) =>
      semanticScores(db, dim, {
        userId: q.userId,
        vector,
        filterSql,
        limit,
        restrictIds,
        efSearch,
        annTable: ann.searchTable(),
      });
    if (q.mode === 'semantic') {
      const postings = await cachedPostings(db, keywordCache, q.userId, q.filter);
      const mem = postings?.semantic(vector, q.filter?.fileIds);
      const scores = mem ? mem.top(q.limit) : await semantic(q.limit);
      const chunks = await loadChunks(db, q.userId, [...scores.keys()], postings ?? undefined);
      return [...scores].flatMap(([id, score]) => {
        const chunk = chunks.get(id);
        return chunk ? [{ chunk, score, semanticScore: score, keywordScore: null }] : [];
      });
    }
    // Hybrid: both candidate lists, then the missing score of each candidate computed exactly.
    const pool = Math.min(Math.max(q.limit * 4, 40), 400);
    // With the user's vectors in memory, both sides are scored there (no database read but the version).
    const kw = await keyword(pool);
    const mem = kw.postings?.semantic(vector, q.filter?.fileIds) ?? null;
    const sem = mem ? mem.top(pool) : await semantic(pool);
    const kwScores = kw.top;
    const missingSem = [...kwScores.keys()].filter((id) => !sem.has(id));
    const missingKw = [...sem.keys()].filter((id) => !kwScores.has(id));
    const [moreSem, moreKw] = await Promise.all([
      missingSem.length === 0
        ? new Map<string, number>()
        : mem
          ? mem.of(missingSem)
          : semantic(missingSem.length, missingSem),
      kw.of(missingKw),
    ]);
    for (const [id, s] of moreSem) sem.set(id, s);
    for (const [id, s] of moreKw) kwScores.set(id, s);
    // Fused on ids first: only the hits returned are read from the table.
    const ids = [...new Set([...sem.keys(), ...kwScores.keys()])];
    const fused = fuseScores(new Map(ids.map((id) => [id, id])), sem, kwScores, q.alpha, q.limit);
    const chunks = await loadChunks(
      db,
      q.userId,
      fused.map((f) => f.id),
      kw.postings,
    );
    return fused.flatMap(({ id, item: _item, ...scores }) => {
      const chunk = chunks.get(id);
      return chunk ? [{ chunk, ...scores }] : [];
    });
  }

  async function deleteWhere(userId: string, where: SQL): Promise<number> {
    const { before, deleted } = await deleteChunks(db, userId, where);
    if (deleted.ids.length) {
      keywordCache.applied(userId, { before, after: deleted.version, removed: deleted.ids });
    }
    return deleted.ids.length;
  }

  const index: PgvectorIndex = {
    name: 'pgvector+bm25',
    keywordOptions: opts.keyword ?? PLAIN_KEYWORD,
    ann,
    keywordCache,
    async init() {
      await assertPgvectorVersion(db);
      await ann.init();
    },
    warm() {
      if (opts.warmKeywordCache && !warming) {
        warming = largestUsers(db, 100)
          .then((users) => keywordCache.warm(users, closing.signal))
          .catch(opts.onError ?? (() => undefined));
      }
    },
    async upsert(userId, records, claim) {
      for (let i = 0; i < records.length; i += insertBatch)
        await writes.submit(userId, [{ rows: records.slice(i, i + insertBatch), claim }]);
    },
    search,
    deleteByFile: (userId, fileId) => deleteWhere(userId, sql`file_id = ${fileId}::uuid`),
    deleteByFilter: (userId, filter) => deleteWhere(userId, deleteFilterSql(filter)),
    reset: (userId) => deleteWhere(userId, sql`true`),
    count: (userId, filter) => countChunks(db, userId, chunkFilterSql(filter)),
    fileIds: (userId) => chunkFileIds(db, userId),
    async purgeFiles(fileIds) {
      if (fileIds.length === 0) return 0;
      let deleted = 0;
      for (const owner of await chunkOwners(db, fileIds))
        deleted += await deleteWhere(owner, sql`file_id = any(${sql.param(fileIds)}::uuid[])`);
      return deleted;
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      closing.abort();
      await writes.settle();
      await warming;
      await keywordCache.settle();
      await ann.settle();
    },
  };
  return index;
}
