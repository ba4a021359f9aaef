import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAnnIndex, type Database } from '@rag/core/testing';

import { openTemplateDatabase } from '../../support/harness';

// Issue 17 item 4: `select count(*) from chunks` scans every chunk on the single embedded backend, and
// under ingestion it ran after every 1,000 inserted rows, each time holding the requests behind it.
// The index now keeps its own estimate and counts only when a decision (build, analyze) is due.
let database: Database;
const dialect = new PgDialect();
const statements: string[] = [];
const noError = (e: unknown) => {
  throw e;
};

beforeAll(async () => {
  database = await openTemplateDatabase();
});
afterAll(async () => database?.close());

/** The database, with every statement the index sends written down. */
function recorded(): Database['db'] {
  return new Proxy(database.db, {
    get(target, key, receiver) {
      if (key !== 'execute') return Reflect.get(target, key, receiver) as unknown;
      return (query: SQL) => {
        statements.push(dialect.sqlToQuery(query).sql);
        return target.execute(query);
      };
    },
  });
}

describe('the HNSW index counts the chunks table only when a decision is due', () => {
  it('takes 1,000 new rows without a count, then counts once when the analyze threshold is passed', async () => {
    const ann = createAnnIndex(recorded(), 768, 1e9, noError);
    await ann.init(); // an empty table: statistics are good until it holds more than 1,000 rows
    const counts = () => statements.filter((s) => /count\(\*\)/i.test(s)).length;
    const analyzes = () => statements.filter((s) => /^analyze/i.test(s.trim())).length;
    const [countsAfterInit, analyzesAfterInit] = [counts(), analyzes()];

    for (let i = 0; i < 10; i++) ann.noteInserted(100);
    await ann.settle();
    expect(counts()).toBe(countsAfterInit);

    ann.noteInserted(1);
    await ann.settle();
    expect(counts()).toBe(countsAfterInit + 1);
    // The count finds the rows never came (nothing was inserted): no analyze, and the estimate is reset.
    expect(analyzes()).toBe(analyzesAfterInit);
    ann.noteInserted(500);
    await ann.settle();
    expect(counts()).toBe(countsAfterInit + 1);
  });
});
