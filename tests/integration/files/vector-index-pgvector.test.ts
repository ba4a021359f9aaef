import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  createHashingEmbedder,
  createPgvectorIndex,
  type Database,
  type PgvectorIndex,
} from '@rag/core/testing';

import { pgvectorDatabases } from '../../support/databases';
import { chunkRecord, MIXED_PASSAGES } from '../../support/fixtures';
import { vectorIndexContract } from '../../support/vector-index-contract';

const embedder = createHashingEmbedder();

// Embedded PGlite (HNSW built in steps into a shadow table) and, when the test cluster has pgvector, a
// real Postgres (HNSW built with CREATE INDEX CONCURRENTLY on chunks itself).
for (const target of pgvectorDatabases()) {
  describe(`pgvector index on ${target.name}`, () => {
    // One database for the target; each contract run uses its own users.
    let database: Database;
    const shared = target.open().then((d) => (database = d));
    afterAll(async () => database?.close());

    vectorIndexContract('pgvector + BM25, HNSW index', async () => {
      const db = (await shared).db;
      const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 0 });
      await index.init();
      return { index, embedder, close: async () => index.close() };
    });

    vectorIndexContract('pgvector + BM25, exact scan below the HNSW threshold', async () => {
      const db = (await shared).db;
      const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 1_000_000 });
      // Without its HNSW index the embedded shadow table is dropped at init (search reads chunks alone);
      // on Postgres the expression index on chunks is the HNSW index.
      await db.execute(sql.raw(`drop index if exists ${index.ann.name}`));
      await index.init();
      return { index, embedder, close: async () => index.close() };
    });

    vectorIndexContract(
      'pgvector + BM25, keyword search in SQL (no in-memory postings)',
      async () => {
        const db = (await shared).db;
        const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 0, keywordCacheBytes: 0 });
        await index.init();
        return { index, embedder, close: async () => index.close() };
      },
    );

    describe('pgvector specifics', () => {
      let index: PgvectorIndex;
      beforeAll(async () => {
        index = createPgvectorIndex({ db: (await shared).db, embedder, hnswMinChunks: 5 });
        await index.init();
      });

      const chunk = (userId: string, fileId: string, content: string, v: number[]) =>
        chunkRecord(userId, content, v, { fileId, filename: 'f.txt' });

      it('builds the HNSW index (embedded: the shadow table) once asked, and search can use it', async () => {
        await index.ann.build();
        expect(await index.ann.exists()).toBe(true);
        const embedded = target.name === 'pglite';
        expect(index.ann.searchTable()).toBe(embedded ? 'chunk_ann_768' : null);
        expect(index.ann.name).toBe(embedded ? 'chunk_ann_768_hnsw' : 'chunks_embedding_hnsw_768');
        const db = database.db;
        // Statistics as the growth check keeps them (the contract runs above wrote after the build).
        await db.execute(sql`analyze chunks`);
        if (embedded) await db.execute(sql`analyze chunk_ann_768`);
        const v = `[${(await embedder.embed(['probe']))[0]!.join(',')}]`;
        // The shape of semanticScores' query: on the shadow table, or on chunks' expression index.
        const query = embedded
          ? `select id from chunks join chunk_ann_768 using (id) order by vec <=> '${v}'::vector(768) limit 5`
          : `select id from chunks order by embedding::vector(768) <=> '${v}'::vector(768) limit 5`;
        // One transaction, so the setting and the plan share a connection (Postgres runs a pool).
        const plan = await db.transaction(async (tx) => {
          await tx.execute(sql`set local enable_seqscan = off`);
          return (await tx.execute(sql.raw(`explain ${query}`))) as {
            rows: Record<string, string>[];
          };
        });
        expect(plan.rows.map((r) => Object.values(r)[0]).join('\n')).toContain(index.ann.name);
      });

      const corpus = MIXED_PASSAGES;
      const queries = [
        'tài sản thế chấp',
        'tai san the chap',
        'indexing chunks',
        'keyword BM25 alpha',
        'quyền dân sự',
      ];

      async function seed(target: PgvectorIndex, userId: string, files: string[]) {
        const vecs = await embedder.embed(corpus);
        const rows = corpus.map((t, i) => chunk(userId, files[i % files.length]!, t, vecs[i]!));
        await target.upsert(userId, rows);
        return rows;
      }

      it('in-memory postings and SQL give the same keyword and hybrid results, through writes and deletes', async () => {
        const db = database.db;
        const cached = createPgvectorIndex({ db, embedder, hnswMinChunks: 5 });
        const plain = createPgvectorIndex({ db, embedder, hnswMinChunks: 5, keywordCacheBytes: 0 });
        const user = randomUUID();
        const files = [randomUUID(), randomUUID(), randomUUID()];
        const rows = await seed(cached, user, files);
        const compare = async () => {
          for (const text of queries) {
            for (const mode of ['keyword', 'hybrid'] as const) {
              for (const filter of [undefined, { fileIds: [files[1]!] }]) {
                const q = { userId: user, mode, text, limit: 5, alpha: 0.5, filter };
                const [a, b] = await Promise.all([cached.search(q), plain.search(q)]);
                expect(a.map((h) => h.chunk.id)).toEqual(b.map((h) => h.chunk.id));
                a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i]!.score, 9));
              }
            }
          }
        };
        await compare();
        // The first search ran in SQL while the copy loaded; now every search is served from memory.
        await cached.keywordCache.settle();
        expect(cached.keywordCache.stats.users).toBe(1);
        await compare();
        const loads = cached.keywordCache.stats.loads;
        // Local writes move the in-memory copy along without reloading it.
        await cached.deleteByFile(user, files[0]!);
        const vec = (await embedder.embed(['thế chấp quyền sử dụng đất']))[0]!;
        await cached.upsert(user, [
          { ...rows[1]!, content: 'thế chấp quyền sử dụng đất', embedding: vec },
        ]);
        await compare();
        expect(cached.keywordCache.stats.loads).toBe(loads);
        await cached.reset(user);
        expect(
          await cached.search({
            userId: user,
            mode: 'keyword',
            text: 'thế chấp',
            limit: 5,
            alpha: 0,
          }),
        ).toEqual([]);
      });

      it('keeps the BM25 statistics equal to a recount of the rows through writes, re-writes of stored ids and deletes', async () => {
        const db = database.db;
        const user = randomUUID();
        const files = [randomUUID(), randomUUID()];
        const recount = async () => {
          const [stats] = (
            (await db.execute(
              sql`select (select row(doc_count, total_tokens)::text from index_stats where user_id = ${user}) as kept,
                         (select row(count(*), coalesce(sum(token_count), 0))::text from chunks where user_id = ${user}) as counted,
                         (select coalesce(string_agg(term || '=' || df, ' ' order by term), '') from term_stats
                           where user_id = ${user}) as kept_df,
                         (select coalesce(string_agg(term || '=' || n, ' ' order by term), '') from (
                            select t.lexeme as term, count(*) as n from chunks cross join lateral unnest(terms) t
                            where user_id = ${user} group by t.lexeme) d) as counted_df`,
            )) as { rows: Record<string, string | null>[] }
          ).rows;
          expect(stats!.kept_df).toBe(stats!.counted_df);
          return { kept: stats!.kept, counted: stats!.counted };
        };
        const rows = await seed(index, user, files);
        expect((await recount()).kept).toBe((await recount()).counted);
        // Stored ids written again (with other text): replaced, counted once.
        const vecs = await embedder.embed(['quyền sở hữu trí tuệ', 'zeppelin hangar doors']);
        await index.upsert(user, [
          { ...rows[0]!, content: 'quyền sở hữu trí tuệ', embedding: vecs[0]! },
          { ...rows[2]!, content: 'zeppelin hangar doors', embedding: vecs[1]! },
        ]);
        const afterRewrite = await recount();
        expect(afterRewrite.kept).toBe(afterRewrite.counted);
        expect(afterRewrite.counted).toMatch(new RegExp(`^\\(${rows.length},`));
        const hits = await index.search({
          userId: user,
          mode: 'keyword',
          text: 'zeppelin',
          limit: 5,
          alpha: 0,
        });
        expect(hits.map((h) => h.chunk.id)).toEqual([rows[2]!.id]);
        await index.deleteByFile(user, files[0]!);
        const afterDelete = await recount();
        expect(afterDelete.kept).toBe(afterDelete.counted);
        await index.reset(user);
        expect(await recount()).toEqual({ kept: null, counted: '(0,0)' });
      });

      it('sees writes made by another process on the same database (index version check)', async () => {
        const db = database.db;
        const mine = createPgvectorIndex({ db, embedder, hnswMinChunks: 5 });
        const other = createPgvectorIndex({ db, embedder, hnswMinChunks: 5 });
        const user = randomUUID();
        await seed(mine, user, [randomUUID()]);
        const search = (text: string) =>
          mine.search({ userId: user, mode: 'keyword', text, limit: 5, alpha: 0 });
        expect(await search('zeppelin')).toEqual([]);
        expect((await search('thế chấp')).length).toBeGreaterThan(0);
        await mine.keywordCache.settle(); // mine now holds an in-memory copy
        expect(mine.keywordCache.stats.users).toBe(1);
        const [v] = await embedder.embed(['the zeppelin hangar']);
        const added = chunk(user, randomUUID(), 'the zeppelin hangar', v!);
        await other.upsert(user, [added]);
        expect((await search('zeppelin')).map((h) => h.chunk.id)).toEqual([added.id]);
        await mine.keywordCache.settle(); // reloaded at the other process's version
        expect((await search('zeppelin')).map((h) => h.chunk.id)).toEqual([added.id]);
        await other.deleteByFile(user, added.fileId);
        expect(await search('zeppelin')).toEqual([]);
        await mine.reset(user);
      });

      it('loads existing users’ postings in the background when warmed (after the server listens)', async () => {
        const db = database.db;
        const user = randomUUID();
        await seed(createPgvectorIndex({ db, embedder, hnswMinChunks: 5 }), user, [randomUUID()]);
        const restarted = createPgvectorIndex({
          db,
          embedder,
          hnswMinChunks: 5,
          warmKeywordCache: true,
        });
        await restarted.init();
        expect(restarted.keywordCache.stats.users).toBe(0);
        restarted.warm?.();
        await vi.waitFor(() => expect(restarted.keywordCache.stats.users).toBeGreaterThan(0), {
          timeout: 30_000,
          interval: 20,
        });
        const loads = restarted.keywordCache.stats.loads;
        const hits = await restarted.search({
          userId: user,
          mode: 'keyword',
          text: 'thế chấp',
          limit: 3,
          alpha: 0,
        });
        expect(hits.length).toBeGreaterThan(0);
        expect(restarted.keywordCache.stats.loads).toBe(loads);
        await restarted.close();
        await restarted.reset(user);
      });
    });
  });
}
