import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createAnnIndex,
  createHashingEmbedder,
  createPgvectorIndex,
  type Database,
  type PgvectorIndex,
} from '@rag/core/testing';

import { chunkRecord } from '../../support/fixtures';
import { openTemplateDatabase } from '../../support/harness';

// The embedded HNSW build (issue 10 item 4): a shadow table back-filled in short steps, requests
// answered between them, writes during the build mirrored, search switched over once complete.
let database: Database;
let index: PgvectorIndex;
const embedder = createHashingEmbedder();
const user = randomUUID();
const texts = Array.from({ length: 23 }, (_, i) => `document ${i} about topic ${i % 5} and more`);
const noError = (e: unknown) => {
  throw e;
};

async function seed(target: PgvectorIndex, fileId: string, contents: string[]) {
  const vecs = await embedder.embed(contents);
  await target.upsert(
    user,
    contents.map((t, i) => chunkRecord(user, t, vecs[i]!, { fileId, chunkIndex: i })),
  );
}

async function ids(query: string): Promise<string[]> {
  const rows = (await database.db.execute(sql.raw(query))) as { rows: { id: string }[] };
  return rows.rows.map((r) => r.id).sort();
}

beforeAll(async () => {
  database = await openTemplateDatabase();
  // SQL-only search (no in-memory vectors), never an automatic build.
  const opts = { db: database.db, embedder, hnswMinChunks: 1e9, memoryVectorChunks: 0 };
  index = createPgvectorIndex({ ...opts, keywordCacheBytes: 0 });
  await index.init();
  await seed(index, randomUUID(), texts);
});
afterAll(async () => database?.close());

describe('the embedded HNSW index, built in steps', () => {
  it('answers queries between steps, mirrors writes made meanwhile, then searches the shadow', async () => {
    const events: string[] = [];
    const doomed = randomUUID();
    const ann = createAnnIndex(database.db, 768, 1e9, noError, {
      stepRows: 4,
      onStep: async (copied) => {
        events.push(`step ${copied}`);
        if (copied === 4) {
          // Sent while the build is under way; not awaited, so the build goes on.
          void database.db
            .execute(sql`select count(*) from chunks`)
            .then(() => events.push('query'));
          // Written after the copy passed some ids and before it reached others.
          await seed(index, doomed, ['to be deleted one', 'to be deleted two']);
          await seed(index, randomUUID(), ['added during the build']);
        }
        if (copied === 8) await index.deleteByFile(user, doomed);
      },
    });
    expect(ann.searchTable()).toBeNull();
    await ann.build();
    events.push('built');
    const steps = events.filter((e) => e.startsWith('step')).length;
    expect(steps).toBeGreaterThanOrEqual(6);
    // The query was answered before the next step, long before the build ended.
    expect(events.indexOf('query')).toBeLessThan(events.indexOf('step 8'));
    expect(await ids('select id::text as id from chunk_ann_768')).toEqual(
      await ids('select id::text as id from chunks'),
    );
    expect(ann.searchTable()).toBe('chunk_ann_768');
    expect(await ann.exists()).toBe(true);
  });

  it('gives the same semantic hits after the switch as the exact scan before it', async () => {
    const query = { userId: user, text: 'topic 3 and more', mode: 'semantic' as const, limit: 5 };
    const exact = await index.search({ ...query, alpha: 0.7 });
    expect(index.ann.searchTable()).toBeNull();
    const switched = createPgvectorIndex({
      db: database.db,
      embedder,
      hnswMinChunks: 1e9,
      memoryVectorChunks: 0,
      keywordCacheBytes: 0,
    });
    await switched.init();
    expect(switched.ann.searchTable()).toBe('chunk_ann_768');
    const viaHnsw = await switched.search({ ...query, alpha: 0.7 });
    expect(viaHnsw.map((h) => h.chunk.id)).toEqual(exact.map((h) => h.chunk.id));
    expect(exact).toHaveLength(5);
  });

  it('resumes an interrupted build at start-up, and a reset empties the shadow too', async () => {
    await database.db.execute(sql.raw('drop index chunk_ann_768_hnsw'));
    const broken = createAnnIndex(database.db, 768, 1e9, noError, {
      stepRows: 4,
      onStep: (copied) => {
        if (copied === 8) throw new Error('interrupted');
      },
    });
    // The table without its index is dropped at init and the build starts over.
    await broken.init();
    await expect(broken.build()).rejects.toThrow('interrupted');
    expect(broken.searchTable()).toBeNull();
    const resumed = createAnnIndex(database.db, 768, 1e9, noError, { stepRows: 4 });
    await resumed.init();
    expect(resumed.searchTable()).toBe('chunk_ann_768');
    expect(await ids('select id::text as id from chunk_ann_768')).toEqual(
      await ids('select id::text as id from chunks'),
    );
    await index.reset(user);
    expect(await ids('select id::text as id from chunk_ann_768')).toEqual([]);
  });
});
