import { beforeAll, describe, expect, it } from 'vitest';

import { uploadForm } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

const app = useTestApp();
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
});

const api = (path: string) => `${app.url}${app.deps.env.API_PREFIX}${path}`;
async function analyze(u: TestUser | null, body: unknown) {
  const res = await fetch(api('/sql/analyze'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(u ? { authorization: `Bearer ${u.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /sql/analyze', () => {
  it('answers SQLAnalysisResponse with the parser’s findings', async () => {
    const sql = "SELECT * FROM users WHERE lower(email) = 'a@b.c' OR lower(email) = 'x@y.z'";
    const { status, body } = await analyze(alice, { sql_query: sql });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'analysis',
      'optimized_query',
      'query',
      'suggestions',
    ]);
    expect(body.query).toBe(sql);
    expect(body.analysis).toMatch(/SELECT \*/);
    expect((body.suggestions as string[]).length).toBeGreaterThanOrEqual(2);
    expect(typeof body.optimized_query).toBe('string');
  });

  it('invalid SQL → 400 with the position and the parser’s message in detail', async () => {
    const { status, body } = await analyze(alice, { sql_query: 'SELEC id FRM t' });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/dòng 1, cột \d+/);
    expect(body.detail).toMatch(/Expected/);
  });

  it('a long legal query is a 200; nesting the parser cannot follow is a clear 400, no engine text', async () => {
    const ors = Array.from({ length: 5000 }, (_, i) => `a=${i}`).join(' OR ');
    const long = await analyze(alice, { sql_query: `SELECT * FROM t WHERE ${ors}` });
    expect(long.status).toBe(200);
    expect(long.body.optimized_query).toMatch(/a IN \(/);
    // The review's thread has a larger stack than a request's (1000 levels overflow on the main
    // thread, see unit/sql-analysis/deep-sql.test.ts); 20,000 overflow there too.
    const nested = (n: number) => `SELECT ${'('.repeat(n)}1${')'.repeat(n)}`;
    expect((await analyze(alice, { sql_query: nested(1000) })).status).toBe(200);
    const deep = await analyze(alice, { sql_query: nested(20_000) });
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toMatch(/^Câu lệnh SQL quá phức tạp để phân tích/);
    expect(deep.body.detail).not.toMatch(/Maximum call stack/);
  });

  it('uses the caller’s .sql file as schema context; another user’s file is a 404', async () => {
    const ddl = 'CREATE TABLE customers (id int primary key, name text);\n';
    const up = await fetch(api('/upload'), {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
      body: uploadForm('schema.sql', ddl),
    });
    expect(up.status).toBe(200);
    const { file_id } = (await up.json()) as { file_id: string };
    const mine = await analyze(alice, {
      sql_query: 'SELECT id FROM invoices WHERE id = 1',
      database_context: file_id,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.analysis).toMatch(/invoices không có trong schema/);
    const theirs = await analyze(bob, {
      sql_query: 'SELECT id FROM t WHERE id = 1',
      database_context: file_id,
    });
    expect(theirs.status).toBe(404);
  });

  it('needs a login and a sql_query', async () => {
    expect((await analyze(null, { sql_query: 'SELECT 1' })).status).toBe(401);
    expect((await analyze(alice, {})).status).toBe(422);
  });
});
