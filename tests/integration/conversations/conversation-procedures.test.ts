import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_SUGGESTIONS, type AppCaller, type Deps } from '@rag/core/testing';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

let deps: Deps;
let alice: TestUser;
let bob: TestUser;
let aliceApi: AppCaller;
let bobApi: AppCaller;
let wikiId: string;

async function askIn(api: AppCaller, question: string, conversation_id?: string) {
  const stream = await api.ask.stream({
    question,
    file_id: [wikiId],
    search_type: 'hybrid',
    alpha: 0.7,
    conversation_id,
  });
  let id = '';
  for await (const e of stream) if (e.event === 'start') id = e.data.conversation_id;
  return id;
}

beforeAll(async () => {
  deps = await createTestDeps();
  alice = await signUpUser(deps);
  bob = await signUpUser(deps);
  aliceApi = await callerFor(deps, alice.token);
  bobApi = await callerFor(deps, bob.token);
  const wiki = await ingestFile(deps, {
    userId: alice.userId,
    filename: 'docling-wiki.md',
    source: readFileSync(join(CORPUS, 'md/docling-wiki.md')),
  });
  wikiId = wiki.fileId;
});
afterAll(() => deps?.close());

describe('conversations', () => {
  it('lists nothing for a new user, and latest is not found', async () => {
    expect(await bobApi.conversations.list({})).toEqual({
      status: 'success',
      message: 'Không có hội thoại nào',
      data: [],
      pagination: { page: 1, page_size: 10, total_items: 0, total_pages: 0 },
    });
    expect(await bobApi.conversations.latest()).toEqual({
      conversation_info: {},
      messages: [],
      found: false,
    });
  });

  it('creates, pages newest first with first message and count, and reading has no side effects', async () => {
    const first = await askIn(
      aliceApi,
      'When was IBM founded?',
      (await aliceApi.conversations.create()).conversation_id,
    );
    await askIn(aliceApi, 'Where is IBM headquartered?', first);
    const second = await askIn(
      aliceApi,
      'What is Big Blue?',
      (await aliceApi.conversations.create()).conversation_id,
    );
    const empty = (await aliceApi.conversations.create()).conversation_id;
    expect(empty).toMatch(/^conv_[0-9a-f]{32}$/);

    const page1 = await aliceApi.conversations.list({ page: 1, page_size: 2 });
    expect(page1.pagination).toEqual({ page: 1, page_size: 2, total_items: 3, total_pages: 2 });
    expect(page1.message).toBe('Đã tìm thấy 3 hội thoại');
    expect(page1.data.map((c) => c.conversation_id)).toEqual([empty, second]);
    expect(page1.data[1]).toMatchObject({
      user_id: alice.userId,
      title: 'What is Big Blue',
      first_message: 'What is Big Blue?',
      message_count: 2,
    });
    expect(page1.data[0]).toMatchObject({ title: null, first_message: '', message_count: 0 });
    const page2 = await aliceApi.conversations.list({ page: 2, page_size: 2 });
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0]).toMatchObject({
      conversation_id: first,
      first_message: 'When was IBM founded?',
      message_count: 4,
    });
    // The original deleted empty conversations on read; reading twice must change nothing.
    expect((await aliceApi.conversations.list({})).pagination.total_items).toBe(3);

    const latest = await aliceApi.conversations.latest();
    expect(latest.found).toBe(true);
    expect(latest.conversation_info).toMatchObject({ conversation_id: second, message_count: 2 });
    expect(latest.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(latest.messages[1]?.sources?.[0]?.source).toBe('docling-wiki.md');
  });

  it('opens a conversation with its messages and makes it the current one', async () => {
    const older = (await aliceApi.conversations.list({ page: 2, page_size: 2 })).data[0]
      ?.conversation_id as string;
    const detail = await aliceApi.conversations.get({ conversation_id: older });
    expect(detail.status).toBe('success');
    expect(detail.message).toBe(`Đã tìm thấy chi tiết hội thoại cho phiên ${older}`);
    expect(detail.data.conversation_id).toBe(older);
    const [q, a] = detail.data.messages;
    expect(q).toMatchObject({ role: 'user', content: 'When was IBM founded?', sequence: 1 });
    expect(q?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(a?.role).toBe('assistant');
    expect(a?.content).toContain('1911');
    expect(a?.sources?.length).toBeGreaterThan(0);
    // Asking without a conversation id now continues the opened one.
    expect(await askIn(aliceApi, 'When did IBM enter the microcomputer market?')).toBe(older);
  });

  it('pages a long conversation backwards with limit and before, and refuses bad pages', async () => {
    const conv = (await aliceApi.conversations.create()).conversation_id;
    for (const q of ['When was IBM founded?', 'Where is it based?', 'Who founded it?'])
      await askIn(aliceApi, q, conv);
    const page = async (limit?: number, before?: number) =>
      (await aliceApi.conversations.get({ conversation_id: conv, limit, before })).data.messages;
    const all = await page();
    expect(all.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6]);

    // Newest first pages, each oldest first; a first sequence above 1 says there is more.
    const newest = await page(4);
    expect(newest.map((m) => m.sequence)).toEqual([3, 4, 5, 6]);
    const older = await page(4, newest[0]?.sequence);
    expect(older.map((m) => m.sequence)).toEqual([1, 2]);
    expect([...older, ...newest]).toEqual(all);
    expect((await page(2, 4)).map((m) => [m.sequence, m.role])).toEqual([
      [2, 'assistant'],
      [3, 'user'],
    ]);
    expect(await page(10, 1)).toEqual([]);
    // latest-conversation (this one: the last asked into) takes the same limit.
    const latest = await aliceApi.conversations.latest({ limit: 2 });
    expect(latest.conversation_info).toMatchObject({ conversation_id: conv });
    expect(latest.messages).toEqual(all.slice(-2));
    await expect(aliceApi.conversations.latest({ limit: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    for (const bad of [{ limit: 0 }, { limit: 501 }, { limit: 2.5 }, { before: 0 }])
      await expect(
        aliceApi.conversations.get({ conversation_id: conv, ...bad }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Another user's conversation stays 404 whatever the page.
    await expect(
      bobApi.conversations.get({ conversation_id: conv, limit: 1, before: 3 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("keeps every conversation private: 404 for another user's or a missing id", async () => {
    const mine = (await aliceApi.conversations.list({})).data[0]?.conversation_id as string;
    await expect(bobApi.conversations.get({ conversation_id: mine })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      aliceApi.conversations.get({ conversation_id: 'conv_missing' }),
    ).rejects.toMatchObject({
      message: 'Không tìm thấy hội thoại với ID conv_missing',
    });
    await expect(bobApi.conversations.delete({ conversation_id: mine })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Không tìm thấy hội thoại ${mine} hoặc bạn không có quyền xóa`,
    });
    expect((await bobApi.conversations.list({})).data).toEqual([]);
    expect((await bobApi.conversations.latest()).found).toBe(false);
    await expect((await callerFor(deps, null)).conversations.list({})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('deletes a conversation with its messages', async () => {
    const target = await askIn(
      aliceApi,
      'What is IBM?',
      (await aliceApi.conversations.create()).conversation_id,
    );
    expect(await aliceApi.conversations.delete({ conversation_id: target })).toEqual({
      status: 'success',
      message: `Đã xóa hội thoại ${target}`,
      conversation_id: target,
    });
    await expect(aliceApi.conversations.get({ conversation_id: target })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(aliceApi.conversations.delete({ conversation_id: target })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // It was the current conversation: the next ask starts a new one instead of failing.
    const next = await askIn(aliceApi, 'What is IBM?');
    expect(next).not.toBe(target);
  });
});

describe('suggestions', () => {
  it('returns exactly N of the defaults, in order, for a user with nothing yet', async () => {
    const carol = await signUpUser(deps);
    const api = await callerFor(deps, carol.token);
    expect(await api.suggestions.list({})).toEqual({
      suggestions: DEFAULT_SUGGESTIONS.slice(0, 3),
      conversation_id: null,
      from_history: false,
    });
    for (let n = 1; n <= 10; n++) {
      const { suggestions } = await api.suggestions.list({ num_suggestions: n });
      expect(suggestions).toHaveLength(n);
      expect(new Set(suggestions).size).toBe(n);
    }
  });

  it("draws from the user's documents before any conversation", async () => {
    const dave = await signUpUser(deps);
    await ingestFile(deps, {
      userId: dave.userId,
      filename: 'docling-wiki.md',
      source: readFileSync(join(CORPUS, 'md/docling-wiki.md')),
    });
    const res = await (await callerFor(deps, dave.token)).suggestions.list({ num_suggestions: 5 });
    expect(res.from_history).toBe(false);
    expect(res.suggestions).toHaveLength(5);
    expect(res.suggestions.some((s) => !DEFAULT_SUGGESTIONS.includes(s))).toBe(true);
  });

  it('continues the latest conversation when there is one, always exactly N', async () => {
    const latest = await aliceApi.conversations.latest();
    for (const n of [1, 3, 10]) {
      const res = await aliceApi.suggestions.list({ num_suggestions: n });
      expect(res.from_history).toBe(true);
      expect(res.conversation_id).toBe(
        (latest.conversation_info as { conversation_id: string }).conversation_id,
      );
      expect(res.suggestions).toHaveLength(n);
      expect(res.suggestions).not.toContain('What is IBM?');
    }
  });
});
