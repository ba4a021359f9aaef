import { describe, expect, it } from 'vitest';

import { useTestApp, type TestApp } from '../../support/test-app';

/** A legal statement node-sql-parser needs seconds for (about 66 KB, under the 100,000-character limit). */
const SLOW_SQL =
  'SELECT * FROM t WHERE ' +
  Array.from({ length: 1800 }, (_, i) => `x${i} NOT IN (SELECT y FROM u${i})`).join(' AND ');

async function analyze(app: TestApp, token: string, sql: string) {
  const res = await fetch(`${app.url}${app.deps.env.API_PREFIX}/sql/analyze`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ sql_query: sql }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sql.analyze parses off the request thread', () => {
  // A generous limit: this test is about where the parse runs, not how long it may take.
  const app = useTestApp({ env: { SQL_REVIEW_TIMEOUT_S: '300' } });

  it('the gateway answers other requests while a slow statement is parsed', async () => {
    const { token } = await app.signUp();
    const reviewer = app.deps.sqlReviewer;
    const review = reviewer.review.bind(reviewer);
    let reviewing: () => void = () => undefined;
    const started = new Promise<void>((r) => (reviewing = r));
    reviewer.review = (sql, dialects) => {
      reviewing();
      return review(sql, dialects);
    };
    const order: string[] = [];
    const slow = analyze(app, token, SLOW_SQL).then((r) => {
      order.push('analyze');
      return r;
    });
    // Sent once the review has begun: on the event loop, the parse would hold it until the parse ended.
    await started;
    const health = await fetch(`${app.url}/health`);
    order.push('health');
    expect(health.status).toBe(200);
    const done = await slow;
    expect(done.status).toBe(200);
    expect(done.body.suggestions).toEqual(expect.arrayContaining([expect.stringMatching(/NOT/)]));
    expect(order).toEqual(['health', 'analyze']);
  });
});

describe('a review past SQL_REVIEW_TIMEOUT_S', () => {
  const app = useTestApp({ env: { SQL_REVIEW_TIMEOUT_S: '0.05' } });

  it('is refused with a clear 400, and the gateway keeps serving', async () => {
    const { token } = await app.signUp();
    const refused = await analyze(app, token, SLOW_SQL);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe(
      'Câu lệnh SQL quá phức tạp để phân tích (PostgreSQL): trình phân tích không xong trong 0.05 giây. ' +
        'Hãy tách thành các câu lệnh hoặc điều kiện nhỏ hơn.',
    );
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
