import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startOpenAiStandin, type OpenAiStandin } from '../../support/openai-standin';
import { useTestApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

/**
 * `POST /sql/analyze` with an LLM configured (issue 15 item 4): the OpenAI-compatible model is given
 * the parser's facts and its review is appended to the analysis; a failing model leaves the parser's
 * analysis standing.
 */
let standin: OpenAiStandin;
beforeAll(async () => {
  standin = await startOpenAiStandin();
  return () => standin.close();
});
const app = useTestApp(() => ({
  env: {
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: standin.url,
    OPENAI_API_KEY: 'sk-test',
    LLM_MODEL: 'standin-model',
    EMBEDDING_PROVIDER: 'hashing',
  },
}));
let alice: TestUser;
beforeAll(async () => {
  alice = await app.signUp();
});
beforeEach(() => {
  standin.requests.length = 0;
});

async function analyze(body: unknown) {
  const res = await fetch(`${app.url}${app.deps.env.API_PREFIX}/sql/analyze`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string | string[]> };
}

const SQL = "SELECT * FROM users WHERE lower(email) = 'a@b.c' ORDER BY created_at";
const REVIEW = 'Tạo chỉ mục biểu thức trên lower(email) và chỉ chọn các cột cần dùng.';

describe('POST /sql/analyze with an LLM', () => {
  it('adds the model’s review, asked with the statement and every fact the parser found', async () => {
    standin.respond(() => ({ kind: 'text', content: REVIEW }));
    const { status, body } = await analyze({ sql_query: SQL, database_context: 'PostgreSQL' });
    expect(status).toBe(200);
    const analysis = String(body.analysis);
    expect(analysis).toContain(`Nhận xét của mô hình:\n${REVIEW}`);
    // Grounded: one chat request, carrying the SQL, the dialect and each finding of the parser.
    expect(standin.requests).toHaveLength(1);
    const prompt = standin.requests[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain(SQL);
    expect(prompt).toContain('PostgreSQL');
    const facts = analysis
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.slice(2));
    expect(facts.length).toBeGreaterThanOrEqual(2);
    for (const fact of facts) expect(prompt).toContain(fact);
    expect(standin.requests[0]!.model).toBe('standin-model');
    // The parser's part is unchanged: suggestions and the formatted statement.
    expect((body.suggestions as string[]).length).toBeGreaterThanOrEqual(2);
    expect(body.optimized_query).toMatch(/SELECT/);
  });

  it('a failing model leaves the parser’s analysis standing (200, no model section)', async () => {
    standin.respond(() => ({ kind: 'status', status: 500, message: 'model down' }));
    const { status, body } = await analyze({ sql_query: SQL });
    expect(status).toBe(200);
    expect(String(body.analysis)).toMatch(/SELECT \*/);
    expect(String(body.analysis)).not.toContain('Nhận xét của mô hình');
    expect(standin.requests.length).toBeGreaterThanOrEqual(1);
  });
});
