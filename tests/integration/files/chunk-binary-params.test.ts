import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { createHashingEmbedder, createPgvectorIndex, type Database } from '@rag/core/testing';

import { queryRows } from '../../../packages/core/src/adapters/vector/sql-rows';
import { pgvectorDatabases } from '../../support/databases';
import { chunkRecord } from '../../support/fixtures';

const embedder = createHashingEmbedder();

// The chunk insert sends contents and vectors as binary arrays: what is stored must be what was sent.
for (const target of pgvectorDatabases()) {
  describe(`chunk insert with binary array parameters on ${target.name}`, () => {
    let database: Database;
    const shared = target.open().then((d) => (database = d));
    afterAll(async () => database?.close());

    it('stores texts (nulls, accents, quotes, emoji) and vectors exactly', async () => {
      const db = (await shared).db;
      const index = createPgvectorIndex({ db, embedder, hnswMinChunks: 1_000_000 });
      const user = randomUUID();
      const texts = ['Tài sản "thế chấp", \\ {a,b} NULL', 'plain text 😀\nline two', ''];
      const vecs = await embedder.embed(texts.map((t) => t || 'x'));
      const zero = new Array<number>(embedder.dimensions).fill(0);
      const rows = texts.map((t, i) =>
        chunkRecord(user, t, i === 2 ? zero : vecs[i]!, {
          chunkIndex: i,
          section: i === 1 ? 'Mục 1, "điều" 2' : null,
          pageLabel: i === 0 ? 'iv' : null,
        }),
      );
      await index.upsert(user, rows);
      const got = await queryRows(
        db,
        sql`select content, section, page_label, embedding::text as e from chunks
            where user_id = ${user} order by chunk_index`,
      );
      expect(got.map((r) => [r.content, r.section, r.page_label])).toEqual(
        rows.map((r) => [r.content, r.section, r.pageLabel]),
      );
      // pgvector prints each stored float4; the scaled integer components (see vector-literal.ts).
      const [e] = await queryRows(
        db,
        sql`select ${`[${storedText(vecs[0]!)}]`}::vector::text as a, ${`[${storedText(vecs[1]!)}]`}::vector::text as b`,
      );
      expect(got.map((r) => r.e)).toEqual([e?.a, e?.b, `[${zero.join(',')}]`]);
    });
  });
}

function storedText(v: number[]): string {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  return v.map((x) => Math.round((x * 1e6) / max)).join(',');
}
