import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { createHashingEmbedder, parseEnv, type Database } from '@rag/core/testing';

import { createVectorIndex } from '../../../packages/core/src/adapters/vector/create-vector-index';
import { queryRows } from '../../../packages/core/src/adapters/vector/sql-rows';
import { TOKENIZER_VERSION } from '../../../packages/core/src/domain/search/tokenizer';
import { chunkRecord } from '../../support/fixtures';
import { openTemplateDatabase } from '../../support/harness';

// An index built by an older tokenizer (here: Vietnamese stemmed like English, "máy" indexed as "mai")
// must be re-tokenized from the stored texts at start-up, or queries tokenized the new way miss.
let database: Database;
const shared = openTemplateDatabase().then((d) => (database = d));
afterAll(async () => database?.close());

const embedder = createHashingEmbedder();
const env = parseEnv({ DATA_DIR: '/tmp/unused' });

describe('re-tokenizing at start-up', () => {
  it('rebuilds the terms, lengths and statistics of an index built by another tokenizer version', async () => {
    const db = (await shared).db;
    const user = randomUUID();
    const texts = ['Máy tính xách tay của tôi', 'Ngày mai trời mưa to', 'Results may vary'];
    const vecs = await embedder.embed(texts);
    const first = await createVectorIndex({ env, db, embedder });
    await first.init();
    await first.upsert(
      user,
      texts.map((t, i) => chunkRecord(user, t, vecs[i]!)),
    );
    await first.close();
    const version = await queryRows(
      db,
      sql`select value from app_meta where key = 'tokenizer_version'`,
    );
    expect(Number(version[0]?.value)).toBe(TOKENIZER_VERSION);

    // What version 1 stored: every unaccented ASCII word Porter-stemmed, "may" → "mai", no version row.
    await db.execute(
      sql`update chunks set terms = replace(replace(terms::text, '''may''', '''mai'''), '''~', '''')::tsvector
          where user_id = ${user}`,
    );
    await db.execute(sql`update chunks set token_count = 1 where user_id = ${user}`);
    await db.execute(sql`delete from term_stats where user_id = ${user}`);
    await db.execute(sql`delete from app_meta where key = 'tokenizer_version'`);
    const before = await queryRows(
      db,
      sql`select version::text as v from index_stats where user_id = ${user}`,
    );

    const second = await createVectorIndex({ env, db, embedder });
    await second.init();
    try {
      const terms = await queryRows(
        db,
        sql`select content, terms::text as terms, token_count from chunks where user_id = ${user} order by content`,
      );
      expect(terms.map((r) => r.token_count)).toEqual([6, 5, 3]);
      expect(String(terms[0]?.terms)).toContain("'may'"); // Máy tính …, never stemmed
      expect(String(terms[0]?.terms)).not.toContain("'mai'");
      expect(String(terms[1]?.terms)).toContain("'mai'");
      expect(String(terms[2]?.terms)).toContain("'~mai'"); // English "may", in the stems' namespace
      const stats = await queryRows(
        db,
        sql`select doc_count, total_tokens, version::text as v from index_stats where user_id = ${user}`,
      );
      expect(stats[0]).toMatchObject({ doc_count: 3, total_tokens: 14 });
      expect(stats[0]?.v).not.toBe(before[0]?.v);
      const df = await queryRows(
        db,
        sql`select term, df from term_stats where user_id = ${user} and term in ('may', 'mai', '~mai')`,
      );
      expect(Object.fromEntries(df.map((r) => [r.term, r.df]))).toEqual({
        may: 1,
        mai: 1,
        '~mai': 1,
      });
      // The Vietnamese query typed without diacritics finds the laptop, not tomorrow's weather.
      const hits = await second.search({
        userId: user,
        mode: 'keyword',
        text: 'may tinh',
        limit: 5,
        alpha: 0,
      });
      expect(hits[0]?.chunk.content).toBe('Máy tính xách tay của tôi');
      expect(hits.map((h) => h.chunk.content)).not.toContain('Ngày mai trời mưa to');
    } finally {
      await second.close();
    }
  });
});
