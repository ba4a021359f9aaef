import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  AppError,
  createLlm,
  createOpenAiLlm,
  type AnswerInput,
  type Llm,
} from '@rag/core/testing';

import {
  buildAnswerMessages,
  capHistory,
} from '../../../packages/core/src/adapters/llm/grounded-prompt';
import { bestWindow } from '../../../packages/core/src/adapters/llm/source-window';
import { startOpenAiStandin, type OpenAiStandin } from '../../support/openai-standin';

let standin: OpenAiStandin;
let llm: Llm;

beforeAll(async () => {
  standin = await startOpenAiStandin();
  llm = createOpenAiLlm({
    apiKey: 'sk-test',
    baseURL: standin.url,
    model: 'test-model',
    temperature: 0,
  });
});
afterAll(() => standin.close());
beforeEach(() => {
  standin.requests.length = 0;
});

const input = (over: Partial<AnswerInput> = {}): AnswerInput => ({
  question: 'Khi nào IBM được thành lập?',
  query: 'Khi nào IBM được thành lập?',
  sources: [
    {
      filename: 'ibm.pdf',
      page: 2,
      pageLabel: null,
      section: 'History',
      content: 'IBM was founded in 1911.',
      score: 0.9,
    },
    {
      filename: 'notes.md',
      page: null,
      pageLabel: null,
      section: null,
      content: 'Armonk is in New York.',
      score: 0.5,
    },
  ],
  history: [],
  language: 'vi',
  ...over,
});

async function collect(stream: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe('OpenAI-compatible adapter', () => {
  it('is chosen by the environment', async () => {
    expect((await createLlm({ LLM_MODEL: 'm', LLM_TEMPERATURE: 0 })).name).toBe('extractive');
    expect(
      (await createLlm({ OPENAI_API_KEY: 'k', LLM_MODEL: 'm', LLM_TEMPERATURE: 0 })).name,
    ).toBe('openai:m');
    expect(
      (
        await createLlm({
          OPENAI_API_KEY: 'k',
          LLM_PROVIDER: 'extractive',
          LLM_MODEL: 'm',
          LLM_TEMPERATURE: 0,
        })
      ).name,
    ).toBe('extractive');
    expect(
      (
        await createLlm({
          LLM_PROVIDER: 'openai',
          OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
          LLM_MODEL: 'm',
          LLM_TEMPERATURE: 0,
        })
      ).name,
    ).toBe('openai:m');
  });

  it('streams the answer token by token from a grounded prompt', async () => {
    standin.respond(() => ({
      kind: 'stream',
      pieces: ['IBM ', 'được thành lập ', 'năm 1911 ', '(trang 2, ibm.pdf).'],
    }));
    const pieces = await collect(llm.streamAnswer(input()));
    expect(pieces).toEqual(['IBM ', 'được thành lập ', 'năm 1911 ', '(trang 2, ibm.pdf).']);
    const [req] = standin.requests;
    expect(req?.stream).toBe(true);
    expect(req?.model).toBe('test-model');
    const system = req?.messages[0]?.content ?? '';
    expect(system).toContain('Answer in Vietnamese');
    expect(system).toContain('Tài liệu đã chọn không chứa thông tin để trả lời câu hỏi này.');
    const user = req?.messages.at(-1)?.content ?? '';
    expect(user).toContain('Citation: (trang 2, ibm.pdf)');
    expect(user).toContain('Citation: (file notes.md)');
    expect(user).toContain('Question: Khi nào IBM được thành lập?');
  });

  it('retries a 429 that comes before the first token', async () => {
    standin.respond((_req, i) =>
      i === 0
        ? {
            kind: 'status',
            status: 429,
            message: 'Rate limit reached',
            headers: { 'retry-after-ms': '10' },
          }
        : { kind: 'stream', pieces: ['ok'] },
    );
    expect(await collect(llm.streamAnswer(input()))).toEqual(['ok']);
    expect(standin.requests).toHaveLength(2);
  });

  it('gives up on a persistent 429 with a rate-limit error', async () => {
    standin.respond(() => ({
      kind: 'status',
      status: 429,
      message: 'Rate limit',
      headers: { 'retry-after-ms': '5' },
    }));
    const err = await collect(llm.streamAnswer(input())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RATE_LIMITED');
    expect(standin.requests).toHaveLength(3);
  });

  it('does not retry a provider failure after the first token', async () => {
    standin.respond(() => ({ kind: 'stream', pieces: ['a', 'b', 'c'], failAfter: 2 }));
    const got: string[] = [];
    const err = await (async () => {
      for await (const p of llm.streamAnswer(input())) got.push(p);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['a', 'b']);
    expect((err as AppError).code).toBe('UPSTREAM_FAILED');
    expect((err as AppError).message).toBe('Dịch vụ mô hình ngôn ngữ gặp lỗi khi tạo câu trả lời.');
    expect(standin.requests).toHaveLength(1);
  });

  it('reports a dropped connection and a refused key in words a user understands', async () => {
    standin.respond(() => ({ kind: 'stream', pieces: ['a', 'b'], failAfter: 1, failWith: 'drop' }));
    const dropped = await collect(llm.streamAnswer(input())).catch((e: unknown) => e);
    expect(['UNAVAILABLE', 'UPSTREAM_FAILED']).toContain((dropped as AppError).code);
    expect((dropped as AppError).message).not.toMatch(/127\.0\.0\.1|ECONN/);
    standin.respond(() => ({ kind: 'status', status: 401, message: 'Incorrect API key provided' }));
    const refused = await collect(llm.streamAnswer(input())).catch((e: unknown) => e);
    expect((refused as AppError).message).toBe(
      'Dịch vụ mô hình ngôn ngữ từ chối khóa API đã cấu hình.',
    );
  });

  it('stops quietly and cancels the provider request when the signal fires', async () => {
    standin.respond(() => ({
      kind: 'stream',
      pieces: Array.from({ length: 50 }, (_, i) => `w${i} `),
      holdAfter: 3,
    }));
    const abort = new AbortController();
    const got: string[] = [];
    for await (const p of llm.streamAnswer(input({ signal: abort.signal }))) {
      got.push(p);
      if (got.length === 3) abort.abort();
    }
    expect(got.length).toBeLessThan(6);
    await expect.poll(() => standin.abortedStreams).toBeGreaterThan(0);
  });

  it('rewrites follow-ups with one small call and skips standalone questions', async () => {
    standin.respond(() => ({ kind: 'text', content: '"Where is IBM headquartered?"' }));
    const history = [
      { role: 'user' as const, content: 'When was IBM founded?' },
      { role: 'assistant' as const, content: 'In 1911 (file ibm.md).' },
    ];
    expect(
      await llm.rewriteQuery({ question: 'Where is it headquartered?', history, language: 'en' }),
    ).toEqual({ query: 'Where is IBM headquartered?', question: 'Where is it headquartered?' });
    expect(standin.requests).toHaveLength(1);
    expect(standin.requests[0]?.messages.at(-1)?.content).toContain('User: When was IBM founded?');
    const standalone = 'Which company provided the DOS operating system software?';
    expect(await llm.rewriteQuery({ question: standalone, history, language: 'en' })).toEqual({
      query: standalone,
      question: standalone,
    });
    expect(standin.requests).toHaveLength(1);
  });

  it('parses generated follow-ups and falls back to the model-free ones when the provider fails', async () => {
    standin.respond(() => ({
      kind: 'text',
      content: '1. Ai sáng lập IBM?\n2. IBM có trụ sở ở đâu?\n3. IBM làm gì?',
    }));
    const related = await llm.relatedQuestions({
      question: 'q',
      answer: 'a',
      sources: input().sources,
      language: 'vi',
      count: 3,
    });
    expect(related).toEqual(['Ai sáng lập IBM?', 'IBM có trụ sở ở đâu?', 'IBM làm gì?']);
    standin.respond(() => ({ kind: 'status', status: 500, message: 'boom' }));
    const fallback = await llm.suggestQuestions({
      history: [],
      sources: input().sources,
      language: 'en',
      count: 2,
    });
    expect(fallback.every((q) => q.endsWith('?'))).toBe(true);
  });
});

describe('grounded prompt', () => {
  it('keeps the newest history within the token budget', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({
      role: 'user' as const,
      content: `${i} ${'x'.repeat(400)}`,
    }));
    const kept = capHistory(history, 1000);
    expect(kept.length).toBeLessThan(40);
    expect(kept.at(-1)?.content.startsWith('39 ')).toBe(true);
    expect(kept.reduce((n, t) => n + Math.ceil(t.content.length / 4) + 4, 0)).toBeLessThanOrEqual(
      1000,
    );
  });

  it('cuts a long source to its best window with its line breaks kept', () => {
    const rows = Array.from({ length: 80 }, (_, i) => `| ${i} | row number ${i} | ok |`).join('\n');
    const content = `Intro text.\n\n| id | name | status |\n${rows}\n| 99 | Andrew Fuller | Vice President |`;
    const window = bestWindow(content, 'Andrew Fuller Vice President', 300);
    expect(window.length).toBeLessThanOrEqual(302);
    expect(window).toContain('| 99 | Andrew Fuller | Vice President |');
    expect(window).toContain('| row number 79 | ok |\n| 99 | Andrew Fuller');
    expect(window.startsWith('…')).toBe(true);
  });

  it('fits all ten long sources, each by its window matching the query', () => {
    const filler = 'The committee reviewed the general budget of the year in detail. '.repeat(60);
    const sources = Array.from({ length: 10 }, (_, i) => ({
      filename: `doc${i + 1}.md`,
      page: null,
      pageLabel: null,
      section: null,
      score: 1 - i / 20,
      content: `${filler}Bridge ${i + 1} spans the Mekong river. ${filler}`.slice(0, 4000),
    }));
    const question = 'Which bridge spans the Mekong river?';
    const messages = buildAnswerMessages({
      question,
      query: question,
      sources,
      history: [],
      language: 'en',
    });
    const prompt = messages.at(-1)?.content ?? '';
    for (let i = 1; i <= 10; i++) {
      expect(prompt).toContain(`[${i}] Source: doc${i}.md`);
      expect(prompt).toContain(`Bridge ${i} spans the Mekong river.`);
    }
    expect(Math.ceil(prompt.length / 4)).toBeLessThanOrEqual(6000 + 200);
  });
});
