import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCaller,
  createContext,
  documentedErrorBody,
  findAppError,
  type AskEvent,
  type AskInput,
  type Deps,
} from '@rag/core/testing';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

let deps: Deps;
let alice: TestUser;
let bob: TestUser;
const ids: Record<string, string> = {};

async function upload(user: TestUser, file: string): Promise<string> {
  const res = await ingestFile(deps, {
    userId: user.userId,
    filename: file.split('/').pop() as string,
    source: readFileSync(join(CORPUS, file)),
  });
  return res.fileId;
}

type Streamed = {
  events: AskEvent[];
  answer: string;
  of<E extends AskEvent['event']>(e: E): Extract<AskEvent, { event: E }>['data'][];
};

async function ask(
  user: TestUser,
  input: Partial<AskInput> & { question: string },
  signal?: AbortSignal,
): Promise<Streamed> {
  const ctx = await createContext({ deps, authorization: `Bearer ${user.token}` });
  const caller = createCaller(ctx, { signal });
  const stream = await caller.ask.stream({ search_type: 'hybrid', alpha: 0.7, ...input });
  const events: AskEvent[] = [];
  for await (const e of stream) events.push(e);
  return {
    events,
    answer: events.flatMap((e) => (e.event === 'content' ? [e.data.content] : [])).join(''),
    of: (name) => events.filter((e) => e.event === name).map((e) => e.data) as never,
  };
}

beforeAll(async () => {
  deps = await createTestDeps();
  alice = await signUpUser(deps);
  bob = await signUpUser(deps);
  ids.wiki = await upload(alice, 'md/docling-wiki.md');
  ids.vars = await upload(alice, 'md/javascript-info-variables.md');
  ids.bitcoin = await upload(alice, 'pdf/issue13201.pdf');
  ids.anle = await upload(alice, 'pdf/an_le_so_432021AL.pdf');
  ids.bobDoc = await upload(bob, 'md/thinking-in-react.md');
});
afterAll(() => deps?.close());

describe('ask.stream over real documents', () => {
  it('streams start, sources, content and end with the answer and the right source first (English)', async () => {
    const r = await ask(alice, {
      question: 'When was IBM founded?',
      file_id: [ids.wiki as string, ids.vars as string, ids.bitcoin as string],
    });
    expect(r.events.map((e) => e.event).filter((e, i, a) => e !== a[i - 1])).toEqual([
      'start',
      'sources',
      'content',
      'end',
    ]);
    const [start] = r.of('start');
    expect(start?.question_id).toMatch(/^q_[0-9a-f]{8}$/);
    expect(start?.conversation_id).toMatch(/^conv_[0-9a-f]{32}$/);
    expect(start?.search_type).toBe('hybrid');
    const [sources] = r.of('sources');
    expect(sources?.sources[0]?.source).toBe('docling-wiki.md');
    expect(sources?.sources[0]?.file_id).toBe(ids.wiki);
    expect(sources?.sources[0]?.is_web_search).toBe(false);
    expect(sources?.question_id).toBe(start?.question_id);
    expect(r.answer).toContain('1911');
    expect(r.answer).toContain('(file docling-wiki.md)');
    const [end] = r.of('end');
    expect(end?.related_questions).toHaveLength(3);
    expect(end?.processing_time).toBeGreaterThanOrEqual(0);
    expect(end?.conversation_id).toBe(start?.conversation_id);
  });

  it('answers a Vietnamese question from a Vietnamese document, in Vietnamese', async () => {
    const r = await ask(alice, {
      question: 'Để tạo biến trong JavaScript, sử dụng từ khóa nào?',
      file_id: [ids.wiki as string, ids.vars as string],
    });
    expect(r.of('sources')[0]?.sources[0]?.source).toBe('javascript-info-variables.md');
    expect(r.answer).toMatch(/^Theo tài liệu:/);
    expect(r.answer).toContain('`let`');
    expect(r.of('end')[0]?.related_questions.every((q) => q.endsWith('?'))).toBe(true);
  });

  it('cites the page of a PDF, in English and in Vietnamese', async () => {
    const en = await ask(alice, {
      question: 'How does the network timestamp transactions?',
      file_id: [ids.bitcoin as string, ids.wiki as string],
    });
    expect(en.of('sources')[0]?.sources[0]).toMatchObject({ source: 'issue13201.pdf', page: 1 });
    expect(en.answer).toContain('hashing them into an ongoing chain');
    expect(en.answer).toContain('(page 1, issue13201.pdf)'); // the page word follows the question's language

    const vi = await ask(alice, {
      question: 'Bà L mua hai căn nhà đang thế chấp với giá bao nhiêu?',
      file_id: [ids.anle as string, ids.vars as string],
    });
    const top = vi.of('sources')[0]?.sources[0];
    expect(top?.source).toBe('an_le_so_432021AL.pdf');
    expect(vi.answer).toContain('5.500.000.000 đồng');
    expect(vi.answer).toMatch(/\(trang \d, an_le_so_432021AL\.pdf\)/);
  });

  it('searches only the requested files, in every mode, and caps the sources at max_sources', async () => {
    for (const search_type of ['semantic', 'keyword', 'hybrid'] as const) {
      const r = await ask(alice, {
        question: 'Khai báo biến trong JavaScript với let như thế nào?',
        file_id: [ids.vars as string],
        search_type,
        max_sources: 3,
      });
      const sources = r.of('sources')[0]?.sources ?? [];
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.length).toBeLessThanOrEqual(3);
      expect(sources.every((s) => s.file_id === ids.vars)).toBe(true);
      expect(r.of('start')[0]?.search_type).toBe(search_type);
      // Scores are ordered: the first source is the best one.
      expect(sources.map((s) => s.score)).toEqual(
        [...sources.map((s) => s.score)].sort((a, b) => b - a),
      );
    }
    // A question the chosen file cannot answer finds nothing of the other files. (Hybrid: asked
    // mid-chat it is standalone, so a keyword search for its own words finds no passage at all.)
    const elsewhere = await ask(alice, {
      question: 'When was IBM founded?',
      file_id: [ids.vars as string],
      search_type: 'hybrid',
    });
    expect(elsewhere.of('sources')[0]?.sources.every((s) => s.file_id === ids.vars)).toBe(true);
    // Not found, pointing only at the chosen file.
    expect(elsewhere.answer).toMatch(
      /^The selected documents do not contain information that answers this question\. Closest sources: (\(file javascript-info-variables\.md\) ?)+$/,
    );
    const keyword = await ask(alice, {
      question: 'IBM Armonk headquarters',
      file_id: [ids.wiki as string],
      search_type: 'keyword',
      max_sources: 1,
    });
    expect(keyword.of('sources')[0]?.sources).toHaveLength(1);
  });

  it('rewrites a follow-up from the conversation and keeps the turns in sequence', async () => {
    const { conversation_id } = await (await callerFor(deps, alice.token)).conversations.create();
    await ask(alice, {
      question: 'When was IBM founded?',
      file_id: [ids.wiki as string],
      conversation_id,
    });
    const follow = await ask(alice, {
      question: 'Where is it headquartered?',
      file_id: [ids.wiki as string],
      conversation_id,
    });
    expect(follow.answer).toContain('Armonk');
    const detail = await (
      await callerFor(deps, alice.token)
    ).conversations.get({ conversation_id });
    expect(detail.data.messages.map((m) => [m.sequence, m.role])).toEqual([
      [1, 'user'],
      [2, 'assistant'],
      [3, 'user'],
      [4, 'assistant'],
    ]);
    const answer = detail.data.messages[3];
    expect(answer?.question_id).toBe(follow.of('start')[0]?.question_id);
    expect(answer?.sources?.[0]?.source).toBe('docling-wiki.md');
    expect(answer?.interrupted).toBe(false);
    expect(answer?.metadata).toMatchObject({
      search_type: 'hybrid',
      alpha: 0.7,
      status: 'complete',
    });
    expect(detail.data.messages[2]?.question_id).toBe(answer?.question_id);
  });

  it('rewrites a follow-up once and hands the restated question to the answer', async () => {
    const { conversation_id } = await (await callerFor(deps, alice.token)).conversations.create();
    const file_id = [ids.wiki as string];
    await ask(alice, { question: 'When was IBM founded?', file_id, conversation_id });
    const base = deps.llm;
    const rewrites: string[] = [];
    const answered: (string | undefined)[] = [];
    deps.llm = {
      ...base,
      rewriteQuery: async (input) => {
        rewrites.push(input.question);
        return base.rewriteQuery(input);
      },
      streamAnswer: (input) => {
        answered.push(input.standalone);
        return base.streamAnswer(input);
      },
    };
    try {
      await ask(alice, { question: 'And Microsoft?', file_id, conversation_id });
    } finally {
      deps.llm = base;
    }
    expect(rewrites).toEqual(['And Microsoft?']);
    expect(answered).toEqual(['When was Microsoft founded?']);
  });

  it('asks in the current conversation when none is given', async () => {
    const caller = await callerFor(deps, alice.token);
    const { conversation_id } = await caller.conversations.create();
    const r = await ask(alice, {
      question: 'When was IBM founded?',
      file_id: [ids.wiki as string],
    });
    expect(r.of('start')[0]?.conversation_id).toBe(conversation_id);
  });

  it('saves the partial answer, marked interrupted, when the listener goes away', async () => {
    const abort = new AbortController();
    const ctx = await createContext({ deps, authorization: `Bearer ${alice.token}` });
    const stream = await createCaller(ctx, { signal: abort.signal }).ask.stream({
      question: 'Biến là gì?',
      file_id: [ids.vars as string],
      search_type: 'hybrid',
      alpha: 0.7,
    });
    let conversationId = '';
    let received = '';
    for await (const e of stream) {
      if (e.event === 'start') conversationId = e.data.conversation_id;
      if (e.event === 'content') {
        received += e.data.content;
        abort.abort();
        break;
      }
    }
    const detail = await (
      await callerFor(deps, alice.token)
    ).conversations.get({ conversation_id: conversationId });
    const last = detail.data.messages.at(-1);
    expect(last?.role).toBe('assistant');
    expect(last?.interrupted).toBe(true);
    expect(last?.content).toBe(received);
  });

  it('saves an empty interrupted answer when the listener leaves before the first event', async () => {
    const api = await callerFor(deps, alice.token);
    const { conversation_id } = await api.conversations.create();
    const stream = await api.ask.stream({
      question: 'Vòng lặp là gì?',
      file_id: [ids.vars as string],
      conversation_id,
    });
    // What a tRPC subscription does when its client is already gone: close without reading.
    await stream[Symbol.asyncIterator]().return?.(undefined);
    const detail = await api.conversations.get({ conversation_id });
    expect(detail.data.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(detail.data.messages.at(-1)?.interrupted).toBe(true);
    expect(detail.data.messages.at(-1)?.content).toBe('');
  });
});

describe('ask.stream refusals (before any event)', () => {
  it("400 with the caller's indexed files when no file_id is chosen", async () => {
    const caller = await callerFor(deps, bob.token);
    const err = await caller.ask
      .stream({ question: 'Hi?', search_type: 'hybrid', alpha: 0.7, file_id: [] })
      .catch((e: unknown) => e);
    const app = findAppError(err);
    expect(app && documentedErrorBody(app)).toEqual({
      status: 'error',
      message: 'Vui lòng chọn ít nhất một file_id để tìm kiếm.',
      available_file_ids: [ids.bobDoc],
      available_files: [['thinking-in-react.md', ids.bobDoc]],
    });
  });

  it("404 for another user's file or conversation, and for ids that do not exist", async () => {
    const bobCaller = await callerFor(deps, bob.token);
    const base = { question: 'When was IBM founded?', search_type: 'hybrid' as const, alpha: 0.7 };
    await expect(
      bobCaller.ask.stream({ ...base, file_id: [ids.wiki as string] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bobCaller.ask.stream({ ...base, file_id: ['not-a-uuid'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const { conversation_id } = await (await callerFor(deps, alice.token)).conversations.create();
    await expect(
      bobCaller.ask.stream({ ...base, file_id: [ids.bobDoc as string], conversation_id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const detail = await (
      await callerFor(deps, alice.token)
    ).conversations.get({ conversation_id });
    expect(detail.data.messages).toHaveLength(0);
  });

  it('401 without a token', async () => {
    const anon = await callerFor(deps, null);
    await expect(
      anon.ask.stream({
        question: 'x',
        search_type: 'hybrid',
        alpha: 0.7,
        file_id: [ids.wiki as string],
      }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
