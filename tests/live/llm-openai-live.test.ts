import { beforeAll, describe, expect, it } from 'vitest';

import { createLlm, readProcessEnv, type Llm, type LlmSource } from '@rag/core/testing';

/**
 * The OpenAI-compatible adapter against a real model server: `OPENAI_API_KEY=… [OPENAI_BASE_URL=…]
 * [LLM_MODEL=…] pnpm vitest run --project live live/llm-openai-live`.
 */
const env = readProcessEnv();
const configured =
  Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL) && env.LLM_PROVIDER !== 'extractive';

const sources: LlmSource[] = [
  {
    filename: 'ibm.pdf',
    page: 2,
    pageLabel: null,
    section: 'History',
    content:
      'IBM was founded in 1911 as the Computing-Tabulating-Recording Company (CTR). It was renamed ' +
      '"International Business Machines" in 1924.',
    score: 0.9,
  },
];

describe.runIf(configured)('live OpenAI-compatible model', () => {
  let llm: Llm;
  beforeAll(async () => {
    llm = await createLlm({ ...env, LLM_PROVIDER: 'openai' });
  });

  it("streams a grounded, cited answer in the question's language", async () => {
    let answer = '';
    let pieces = 0;
    for await (const p of llm.streamAnswer({
      question: 'IBM được thành lập năm nào?',
      query: 'IBM được thành lập năm nào?',
      sources,
      history: [],
      language: 'vi',
    })) {
      answer += p;
      pieces++;
    }
    expect(pieces).toBeGreaterThan(1);
    expect(answer).toContain('1911');
    expect(answer).toMatch(/trang 2, ibm\.pdf/);
  });

  it('rewrites a follow-up and proposes follow-up questions', async () => {
    const history = [
      { role: 'user' as const, content: 'When was IBM founded?' },
      { role: 'assistant' as const, content: 'IBM was founded in 1911 (trang 2, ibm.pdf).' },
    ];
    const rewritten = await llm.rewriteQuery({
      question: 'When was it renamed?',
      history,
      language: 'en',
    });
    expect(rewritten.query).toMatch(/IBM|CTR|Computing/i);
    const related = await llm.relatedQuestions({
      question: 'When was IBM founded?',
      answer: '1911',
      sources,
      language: 'en',
      count: 3,
    });
    expect(related.length).toBeGreaterThan(0);
  });
});
