import { afterAll, describe, expect, it } from 'vitest';

import { createSqlReviewPool, dialectsFor } from '@rag/core/testing';

/** A statement node-sql-parser needs many seconds for (no HTTP limit here: the pool is called directly). */
const VERY_SLOW =
  'SELECT * FROM t WHERE ' +
  Array.from({ length: 15_000 }, (_, i) => `x${i} NOT IN (SELECT y FROM u${i})`).join(' AND ');
const TRIVIAL = 'SELECT a FROM t WHERE a = 1';
const dialects = dialectsFor(null);

describe('the SQL review threads', () => {
  const pools: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('count a review’s time from when a thread takes it, not while it waits in line', async () => {
    const pool = createSqlReviewPool({ size: 1, timeoutMs: 5_000 });
    pools.push(pool);
    const slow = pool.review(VERY_SLOW, dialects);
    const queued = pool.review(TRIVIAL, dialects);
    expect(await slow).toMatchObject({ kind: 'too-slow', seconds: 5 });
    // It waited about 5 s behind the slow one, then had its own 5 s from when its fresh thread began it
    // (the thread's start does not count: under load it took more than 5 s once).
    expect(await queued).toMatchObject({ kind: 'reviewed', statementTypes: ['SELECT'] });
  });

  it('refuse a review as busy when every thread is taken and the line is full', async () => {
    const pool = createSqlReviewPool({ size: 1, timeoutMs: 60_000, maxWaiting: 0 });
    pools.push(pool);
    const first = pool.review(TRIVIAL, dialects);
    expect(await pool.review(TRIVIAL, dialects)).toEqual({ kind: 'busy' });
    expect(await first).toMatchObject({ kind: 'reviewed' });
    expect(await pool.review(TRIVIAL, dialects)).toMatchObject({ kind: 'reviewed' });
  });
});
