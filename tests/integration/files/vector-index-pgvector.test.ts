import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHashingEmbedder,
  createPgvectorIndex,
  type Database,
  type PgvectorIndex,
} from '@rag/core';

import { openTemplateDatabase } from '../../support/harness';
import { vectorIndexContract } from '../../support/vector-index-contract';

// One database for the file; each contract run uses its own users.
let database: Database;
const shared = openTemplateDatabase().then((d) => (database = d));
afterAll(async () => database?.close());

const embedder = createHashingEmbedder();

vectorIndexContract('pgvector + BM25, HNSW index', async () => {
  const db = (await shared).db;
  const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 0 });
  await index.init();
  return { index, embedder, close: async () => index.close() };
});

vectorIndexContract('pgvector + BM25, exact scan below the HNSW threshold', async () => {
  const db = (await shared).db;
  await db.execute(sql`drop index if exists chunks_embedding_hnsw_768`);
  const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 1_000_000 });
  await index.init();
  return { index, embedder, close: async () => index.close() };
});

describe('pgvector specifics', () => {
  let index: PgvectorIndex;
  beforeAll(async () => {
    index = createPgvectorIndex({ db: (await shared).db, embedder, hnswMinChunks: 5 });
    await index.init();
  });

  const chunk = (userId: string, fileId: string, content: string, v: number[]) => ({
    id: randomUUID(),
    userId,
    fileId,
    filename: 'f.txt',
    chunkIndex: 0,
    content,
    page: null,
    pageLabel: null,
    section: null,
    charStart: 0,
    charEnd: content.length,
    category: null,
    embedding: v,
  });

  it('keeps BM25 statistics per user: another user’s corpus never changes my scores', async () => {
    const me = randomUUID();
    const other = randomUUID();
    const texts = [
      'quantum entanglement explained',
      'classical mechanics basics',
      'thermodynamics of engines',
    ];
    const vecs = await embedder.embed(texts);
    await index.upsert(
      me,
      texts.map((t, i) => chunk(me, randomUUID(), t, vecs[i]!)),
    );
    const before = await index.search({
      userId: me,
      mode: 'keyword',
      text: 'quantum mechanics',
      limit: 5,
      alpha: 0,
    });
    const flood = Array.from({ length: 30 }, (_, i) => `quantum quantum noise ${i}`);
    const floodVecs = await embedder.embed(flood);
    await index.upsert(
      other,
      flood.map((t, i) => chunk(other, randomUUID(), t, floodVecs[i]!)),
    );
    const after = await index.search({
      userId: me,
      mode: 'keyword',
      text: 'quantum mechanics',
      limit: 5,
      alpha: 0,
    });
    expect(after.map((h) => [h.chunk.id, h.score])).toEqual(
      before.map((h) => [h.chunk.id, h.score]),
    );
    await index.reset(me);
    await index.reset(other);
  });

  it('builds the HNSW expression index once the table crosses the threshold, and search uses it', async () => {
    await index.ann.build();
    expect(await index.ann.exists()).toBe(true);
    const db = database.db;
    await db.execute(sql`set enable_seqscan = off`);
    const v = `[${(await embedder.embed(['probe']))[0]!.join(',')}]`;
    const plan = (await db.execute(
      sql.raw(
        `explain select id from chunks order by (embedding::vector(768)) <=> '${v}'::vector(768) limit 5`,
      ),
    )) as { rows: Record<string, string>[] };
    await db.execute(sql`set enable_seqscan = on`);
    expect(plan.rows.map((r) => Object.values(r)[0]).join('\n')).toMatch(
      /chunks_embedding_hnsw_768/,
    );
  });
});
