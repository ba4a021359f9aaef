import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { createHashingEmbedder, createPgvectorIndex, type Database } from '@rag/core/testing';

import { binaryTsvectorArray } from '../../../packages/core/src/adapters/postgres/binary-arrays';
import { queryRows } from '../../../packages/core/src/adapters/vector/sql-rows';
import { pgvectorDatabases, testDatabases } from '../../support/databases';
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

// BM25 terms go as a binary tsvector array (no pgvector needed: every database).
for (const target of testDatabases()) {
  describe(`chunk terms as a binary tsvector array on ${target.name}`, () => {
    let database: Database;
    const shared = target.open().then((d) => (database = d));
    afterAll(async () => database?.close());

    it('stores BM25 terms as the tsvector their text form parses to', async () => {
      const db = (await shared).db;
      const many = new Map<string, number>();
      for (let i = 0; i < 90; i++) many.set(`t${i}`, 200); // 18,000 positions: past 16,383
      const tfs = [
        new Map([
          ['bảo', 2],
          ['hiểm', 1],
          ['đất', 3],
          ['a1', 1],
        ]),
        new Map([
          ['𠀀', 1],
          ['\uE000', 2],
          ['z', 1],
        ]), // astral before a BMP letter in byte order
        new Map([['often', 300]]), // more than 256 positions
        new Map([
          ['zeta', 1],
          ['alpha', 2],
          ['al', 1],
          ['m', 1],
        ]), // not in the database's order
        many,
        new Map<string, number>(),
      ];
      const rows = await queryRows(
        db,
        sql`select b.t::text as got, l.t::tsvector::text as want
            from unnest(${sql.param(binaryTsvectorArray(tfs))}::tsvector[]) with ordinality as b(t, n)
            join unnest(${sql.param(tfs.map(literal))}::text[]) with ordinality as l(t, n) using (n)
            order by n`,
      );
      expect(rows).toHaveLength(tfs.length);
      for (const r of rows) expect(r.got).toBe(r.want);
    });
  });
}

/** tsvector's text form of term frequencies: each term's frequency as its number of positions. */
function literal(tf: Map<string, number>): string {
  let pos = 1;
  return [...tf]
    .map(([term, n]) => {
      const positions = Array.from({ length: Math.min(n, 256) }, () => Math.min(pos++, 16383));
      return `'${term}':${positions.join(',')}`;
    })
    .join(' ');
}

function storedText(v: number[]): string {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  return v.map((x) => Math.round((x * 1e6) / max)).join(',');
}
