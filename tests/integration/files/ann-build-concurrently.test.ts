import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  createAnnIndex,
  createHashingEmbedder,
  createPgvectorIndex,
  MigrationError,
  type Database,
  type PgvectorIndex,
} from '@rag/core/testing';

import { openPostgres } from '@rag/core';

import { createScratchDatabase, testDatabases } from '../../support/databases';
import { chunkRecord } from '../../support/fixtures';

// The HNSW build on a Postgres server (pgvector-ann.ts): CREATE INDEX CONCURRENTLY on the expression
// embedding::vector(768), so writes and searches go on while it builds. Needs pgvector on the test
// cluster; without it (the global setup warns) the server's refusal of the pgvector domain is tested.
const embedder = createHashingEmbedder();
const user = randomUUID();
const noError = (e: unknown) => {
  throw e;
};
const HNSW = 'chunks_embedding_hnsw_768';

const postgres = testDatabases().filter((d) => d.name !== 'pglite');

describe.each(postgres.filter((d) => !d.pgvector))('the pgvector index on $name', () => {
  it('is refused at migration, naming the missing extension and both fixes', async () => {
    const database = await openPostgres(await createScratchDatabase(inject('postgresUrl')), 2);
    try {
      const migrating = database.migrate();
      await expect(migrating).rejects.toBeInstanceOf(MigrationError);
      await expect(migrating).rejects.toThrow(/"pgvector-index" failed: .*no pgvector.*QDRANT_URL/);
    } finally {
      await database.close();
    }
  });
});

describe.each(postgres.filter((d) => d.pgvector))(
  'the HNSW index on $name, built with CREATE INDEX CONCURRENTLY',
  (target) => {
    let database: Database;
    let pool: pg.Pool;
    let index: PgvectorIndex;

    const seed = async (contents: string[]) => {
      const vecs = await embedder.embed(contents);
      const fileId = randomUUID();
      await index.upsert(
        user,
        contents.map((t, i) => chunkRecord(user, t, vecs[i]!, { fileId, chunkIndex: i })),
      );
    };
    const rows = async (query: string) =>
      ((await database.db.execute(sql.raw(query))) as { rows: Record<string, unknown>[] }).rows;
    /** The phase of our index build in progress (pg_stat_progress_create_index), or null. */
    const buildPhase = async () =>
      (
        await rows(
          `select phase from pg_stat_progress_create_index where relid = 'chunks'::regclass`,
        )
      )[0]?.phase ?? null;
    const validity = async () =>
      (
        await rows(
          `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = '${HNSW}'`,
        )
      )[0]?.valid ?? null;
    /** Holds a writer's lock on chunks in an open transaction: a concurrent build waits for it. */
    const holdWriter = async () => {
      const writer = await pool.connect();
      await writer.query('begin');
      await writer.query('lock table chunks in row exclusive mode');
      return async () => {
        await writer.query('commit');
        writer.release();
      };
    };

    beforeAll(async () => {
      database = await target.open();
      if (!database.pool) throw new Error('a Postgres database has a pool');
      pool = database.pool;
      // SQL-only search (no in-memory vectors), never an automatic build.
      index = createPgvectorIndex({
        db: database.db,
        embedder,
        hnswMinChunks: 1e9,
        memoryVectorChunks: 0,
        keywordCacheBytes: 0,
      });
      await index.init();
      await seed(Array.from({ length: 40 }, (_, i) => `document ${i} about topic ${i % 5}`));
    });
    afterAll(async () => {
      await index?.close();
      await database?.close();
    });

    it('lets writes and searches through while it waits, then holds every chunk', async () => {
      const release = await holdWriter();
      const ann = createAnnIndex(database.db, 768, 1e9, noError);
      const building = ann.build();
      try {
        // A plain CREATE INDEX would queue its lock behind the writer and every later write behind it.
        await expect.poll(buildPhase).toBe('waiting for writers before build');
        await seed(['written while the index builds', 'and another one']);
        const hits = await index.search({
          userId: user,
          mode: 'hybrid',
          text: 'written while the index builds',
          limit: 3,
          alpha: 0.5,
        });
        expect(hits[0]?.chunk.content).toBe('written while the index builds');
        expect(await validity()).toBe(false);
        expect(await ann.exists()).toBe(false);
      } finally {
        await release();
      }
      await building;
      expect(await validity()).toBe(true);
      expect(await ann.exists()).toBe(true);
      // Read through the index alone: it holds the chunks written during the build too.
      const [probe] = await embedder.embed(['topic 3']);
      const viaIndex = await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local hnsw.ef_search = 1000`);
        const q = `select id::text as id from chunks order by embedding::vector(768) <=> '[${probe!.join(',')}]'::vector(768) limit 1000`;
        const plan = (await tx.execute(sql.raw(`explain ${q}`))) as {
          rows: Record<string, string>[];
        };
        expect(plan.rows.map((r) => Object.values(r)[0]).join('\n')).toContain(HNSW);
        return ((await tx.execute(sql.raw(q))) as { rows: { id: string }[] }).rows.map((r) => r.id);
      });
      const all = (await rows('select id::text as id from chunks')).map((r) => String(r.id));
      expect(viaIndex.sort()).toEqual(all.sort());
      expect(all).toHaveLength(42);
    });

    it('replaces the invalid index a cancelled concurrent build leaves behind', async () => {
      await database.db.execute(sql.raw(`drop index ${HNSW}`));
      const release = await holdWriter();
      const first = createAnnIndex(database.db, 768, 1e9, () => undefined);
      // Caught at once: the rejection comes while this test waits on something else.
      const failed = first.build().catch((e: unknown) => e);
      try {
        await expect.poll(buildPhase).toBe('waiting for writers before build');
        await rows(
          `select pg_cancel_backend(pid) from pg_stat_progress_create_index where relid = 'chunks'::regclass`,
        );
        // 57014: query_canceled (drizzle wraps the driver's error).
        expect(await failed).toMatchObject({ cause: { code: '57014' } });
      } finally {
        await release();
      }
      // `create index concurrently if not exists` alone would keep this one.
      expect(await validity()).toBe(false);
      expect(await first.exists()).toBe(false);
      // At start-up, a table above the threshold builds again.
      const restarted = createAnnIndex(database.db, 768, 10, noError);
      await restarted.init();
      expect(await validity()).toBe(true);
      expect(await restarted.exists()).toBe(true);
    });

    it('builds by itself once the table crosses the threshold, dropping other dimensions’ indexes', async () => {
      await database.db.execute(sql.raw(`drop index ${HNSW}`));
      // Left by an earlier embedder of another dimension (any index of that name is dropped).
      await database.db.execute(
        sql.raw('create index chunks_embedding_hnsw_384 on chunks (user_id)'),
      );
      const [{ n }] = (await rows('select count(*)::int as n from chunks')) as [{ n: number }];
      const growing = createPgvectorIndex({
        db: database.db,
        embedder,
        hnswMinChunks: n + 20,
        keywordCacheBytes: 0,
      });
      await growing.init();
      expect(
        await rows(`select 1 from pg_indexes where indexname = 'chunks_embedding_hnsw_384'`),
      ).toEqual([]);
      expect(await growing.ann.exists()).toBe(false);
      // More than the threshold since this process's last count (that is when it counts again).
      const more = Array.from({ length: 70 }, (_, i) => `later document ${i}`);
      const vecs = await embedder.embed(more);
      await growing.upsert(
        user,
        more.map((t, i) => chunkRecord(user, t, vecs[i]!, { chunkIndex: i })),
      );
      await growing.close(); // waits for the background build
      expect(await growing.ann.exists()).toBe(true);
      expect(growing.ann.searchTable()).toBeNull();
    });
  },
);
