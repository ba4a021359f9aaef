import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { storedComponents, vectorLiteral } from './vector-literal';
import { queryRows } from './sql-rows';
import { DEFAULT_BM25, toTsvectorLiteral, type Bm25Params } from '../../domain/search/bm25';
import { fuseScores } from '../../domain/search/fusion';
import { PLAIN_KEYWORD, type KeywordOptions } from '../../domain/search/keyword-options';
import { documentTerms } from '../../domain/search/tokenizer';
import type { Embedder } from '../../ports/embedder';
import type {
  ChunkRecord,
  SearchHit,
  SearchQuery,
  StoredChunk,
  VectorIndex,
} from '../../ports/vector-index';
import { createBm25Cache, type Bm25Cache } from './bm25-cache';
import type { UserPostings } from './bm25-postings';
import { cachedPostings, keywordSearch, loadPostings } from './pgvector-bm25';
import { createAnnIndex, type AnnIndex } from './pgvector-ann';
import { chunkFilterSql, deleteFilterSql } from './pgvector-filters';
import { semanticScores } from './pgvector-semantic';
import { CHUNK_COLUMNS, toStoredChunk } from './chunk-rows';
import { createGroupCommit } from './group-commit';
import { addStats, deleteChunksWhere, readVersion } from './pgvector-stats';

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

  /** The hits' chunks: from the in-memory postings (valid at the version the search read), else the table. */
  async function loadChunks(
    userId: string,
    wanted: string[],
    postings?: UserPostings,
  ): Promise<Map<string, StoredChunk>> {
    const out = new Map<string, StoredChunk>();
    const ids: string[] = [];
    for (const id of wanted) {
      const chunk = postings?.chunk(id);
      if (chunk) out.set(id, chunk);
      else ids.push(id);
    }
    if (ids.length === 0) return out;
    const res = await queryRows(
      db,
      sql`select ${CHUNK_COLUMNS} from chunks where user_id = ${userId} and id = any(${sql.param(ids)}::uuid[])`,
    );
    for (const r of res) out.set(String(r.id), toStoredChunk(r));
    return out;
  }

  async function queryVector(q: SearchQuery): Promise<number[]> {
    if (q.vector) return q.vector;
    const [v] = await embedder.embed([q.text], { kind: 'query' });
    return v!;
  }

  async function insert(userId: string, rows: ChunkRecord[]) {
    const terms = rows.map((c) => documentTerms(c.content));
    const change = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${userId}))`);
      const ids = sql.param(rows.map((c) => c.id));
      // One cheap read for both: the version before, and whether any id is already stored (new uploads
      // never are, and the delete with its statistics update is the costliest statement here).
      const [state] = await queryRows(
        tx,
        sql`select (select version::text from index_stats where user_id = ${userId}) as version,
                   exists (select 1 from chunks where user_id = ${userId} and id = any(${ids}::uuid[])) as taken`,
      );
      const before =
        state?.version === null || state?.version === undefined ? null : String(state.version);
      // Re-upserted ids replace their old rows (the in-memory copy replaces them on add too).
      if (state?.taken === true) {
        await deleteChunksWhere(tx as unknown as Db, userId, sql`id = any(${ids}::uuid[])`);
      }
      const chunkRows = sql`
        insert into chunks (id, user_id, file_id, filename, chunk_index, content, page, page_label, section,
                            char_start, char_end, token_count, terms, embedding)
        select id, ${userId}::uuid, file_id, filename, chunk_index, content, page, page_label, section,
               char_start, char_end, token_count, terms::tsvector, embedding::vector
        from unnest(${ids}::uuid[], ${sql.param(rows.map((c) => c.fileId))}::uuid[],
                    ${sql.param(rows.map((c) => c.filename))}::text[], ${sql.param(rows.map((c) => c.chunkIndex))}::int[],
                    ${sql.param(rows.map((c) => c.content))}::text[], ${sql.param(rows.map((c) => c.page))}::int[],
                    ${sql.param(rows.map((c) => c.pageLabel))}::text[], ${sql.param(rows.map((c) => c.section))}::text[],
                    ${sql.param(rows.map((c) => c.charStart))}::int[], ${sql.param(rows.map((c) => c.charEnd))}::int[],
                    ${sql.param(terms.map((t) => t.length))}::int[],
                    ${sql.param(terms.map((t) => toTsvectorLiteral(t.tf)))}::text[],
                    ${sql.param(rows.map((c) => vectorLiteral(c.embedding)))}::text[])
          as t(id, file_id, filename, chunk_index, content, page, page_label, section, char_start, char_end,
               token_count, terms, embedding)`;
      const after = await addStats(tx as unknown as Db, userId, terms, chunkRows);
      return { before, after };
    });
    keywordCache.applied(userId, {
      ...change,
      added: rows.map(({ embedding: _embedding, ...c }, i) => ({
        id: c.id,
        fileId: c.fileId,
        tokenCount: terms[i]!.length,
        tf: terms[i]!.tf,
        chunk: { ...c, userId },
        vector: storedComponents(_embedding),
      })),
    });
    ann.noteInserted(rows.length);
  }

  // Concurrent uploads of one user share a transaction (several hundred rows at most).
  const writes = createGroupCommit<ChunkRecord>(insert, Math.max(insertBatch, 1024));

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
      const chunks = await loadChunks(q.userId, [...top.keys()], postings);
      return [...top].flatMap(([id, score]) => {
        const chunk = chunks.get(id);
        return chunk ? [{ chunk, score, semanticScore: null, keywordScore: score }] : [];
      });
    }
    const vector = await queryVector(q);
    const semantic = (limit: number, restrictIds?: string[]) =>
      semanticScores(db, dim, {
        userId: q.userId,
        vector,
        filterSql,
        limit,
        restrictIds,
        efSearch,
      });
    if (q.mode === 'semantic') {
      const postings = await cachedPostings(db, keywordCache, q.userId, q.filter);
      const mem = postings?.semantic(vector, q.filter?.fileIds);
      const scores = mem ? mem.top(q.limit) : await semantic(q.limit);
      const chunks = await loadChunks(q.userId, [...scores.keys()], postings ?? undefined);
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
    const { before, deleted } = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${userId}))`);
      const before = await readVersion(tx as unknown as Db, userId);
      return { before, deleted: await deleteChunksWhere(tx as unknown as Db, userId, where) };
    });
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
      await ann.init();
      if (opts.warmKeywordCache) {
        warming = queryRows(
          db,
          sql`select user_id::text as id from index_stats order by doc_count desc limit 100`,
        )
          .then((rows) =>
            keywordCache.warm(
              rows.map((r) => String(r.id)),
              closing.signal,
            ),
          )
          .catch(opts.onError ?? (() => undefined));
      }
    },
    async upsert(userId, records) {
      for (let i = 0; i < records.length; i += insertBatch)
        await writes.submit(userId, records.slice(i, i + insertBatch));
    },
    search,
    deleteByFile: (userId, fileId) => deleteWhere(userId, sql`file_id = ${fileId}::uuid`),
    deleteByFilter: (userId, filter) => deleteWhere(userId, deleteFilterSql(filter)),
    reset: (userId) => deleteWhere(userId, sql`true`),
    async count(userId, filter) {
      const res = await queryRows(
        db,
        sql`select count(*)::int as n from chunks where user_id = ${userId} ${chunkFilterSql(filter)}`,
      );
      return Number(res[0]?.n ?? 0);
    },
    async fileIds(userId) {
      const res = await queryRows(
        db,
        userId
          ? sql`select distinct file_id::text as id from chunks where user_id = ${userId}`
          : sql`select distinct file_id::text as id from chunks`,
      );
      return res.map((r) => String(r.id));
    },
    async purgeFiles(fileIds) {
      if (fileIds.length === 0) return 0;
      const owners = await queryRows(
        db,
        sql`select distinct user_id::text as user_id from chunks where file_id = any(${sql.param(fileIds)}::uuid[])`,
      );
      let deleted = 0;
      for (const r of owners) {
        deleted += await deleteWhere(
          String(r.user_id),
          sql`file_id = any(${sql.param(fileIds)}::uuid[])`,
        );
      }
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
