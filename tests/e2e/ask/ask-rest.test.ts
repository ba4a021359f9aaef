import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it, vi } from 'vitest';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import { ask, postAsk } from '../../support/sse-client';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

const app = useTestApp();
let alice: TestUser;
let bob: TestUser;
const ids: Record<string, string> = {};

async function upload(user: TestUser, file: string) {
  return (
    await ingestFile(app.deps, {
      userId: user.userId,
      filename: file.split('/').pop() as string,
      source: readFileSync(join(CORPUS, file)),
    })
  ).fileId;
}

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
  ids.wiki = await upload(alice, 'md/docling-wiki.md');
  ids.react = await upload(alice, 'md/thinking-in-react.md');
  ids.bitcoin = await upload(alice, 'pdf/issue13201.pdf');
  ids.bob = await upload(bob, 'md/your-first-component.md');
});

const api = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${app.url}/api${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  });

describe('POST /api/ask/stream', () => {
  it('streams SSE with the documented headers, events and payloads', async () => {
    const res = await postAsk(
      app.url,
      { question: 'When was IBM founded?', file_id: [ids.wiki, ids.react] },
      { token: alice.token },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    await res.body?.cancel();

    const r = await ask(
      app.url,
      { question: 'When was IBM founded?', file_id: [ids.wiki, ids.react], session_id: 'ignored' },
      { token: alice.token },
    );
    const names = r.events.map((e) => e.event);
    expect(names[0]).toBe('start');
    expect(names[1]).toBe('sources');
    expect(names.at(-1)).toBe('end');
    expect(names.slice(2, -1).every((n) => n === 'content')).toBe(true);
    const start = r.byName('start')[0];
    expect(Object.keys(start ?? {}).sort()).toEqual([
      'conversation_id',
      'file_id',
      'question_id',
      'search_type',
    ]);
    expect(start).toMatchObject({ search_type: 'hybrid', file_id: [ids.wiki, ids.react] });
    const sources = r.byName('sources')[0] as {
      sources: Record<string, unknown>[];
      filtered_file_id: string[];
    };
    expect(sources.filtered_file_id).toEqual([ids.wiki, ids.react]);
    expect(Object.keys(sources.sources[0] ?? {}).sort()).toEqual(
      [
        'content_snippet',
        'file_id',
        'is_web_search',
        'page',
        'page_label',
        'score',
        'section',
        'source',
        'source_filename',
      ].sort(),
    );
    expect(sources.sources[0]).toMatchObject({
      source: 'docling-wiki.md',
      source_filename: 'docling-wiki.md',
      file_id: ids.wiki,
      page: null,
      is_web_search: false,
    });
    for (const c of r.byName('content')) expect(Object.keys(c)).toEqual(['content']);
    expect(r.answer).toContain('1911');
    const end = r.byName('end')[0] as Record<string, unknown>;
    expect(end.question_id).toBe(start?.question_id);
    expect(end.conversation_id).toBe(start?.conversation_id);
    expect(typeof end.processing_time).toBe('number');
    expect(end.related_questions).toHaveLength(3);
  });

  it('never shows a server path in sources, and cites PDF pages', async () => {
    const r = await ask(
      app.url,
      { question: 'What does the network use to timestamp transactions?', file_id: [ids.bitcoin] },
      { token: alice.token, query: { max_sources: 2 } },
    );
    const sources = (
      r.byName('sources')[0] as { sources: { source: string; page: number | null }[] }
    ).sources;
    expect(sources.length).toBeLessThanOrEqual(2);
    expect(sources[0]).toMatchObject({ source: 'issue13201.pdf', page: 1 });
    for (const s of sources) expect(s.source).not.toMatch(/[\\/]/);
    expect(r.answer).toContain('(page 1, issue13201.pdf)');
  });

  it('400 with the documented body when no file is chosen', async () => {
    for (const body of [
      { question: 'Hi?' },
      { question: 'Hi?', file_id: [] },
      { question: 'Hi?', file_id: null },
    ]) {
      const r = await ask(app.url, body, { token: bob.token });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        status: 'error',
        message: 'Vui lòng chọn ít nhất một file_id để tìm kiếm.',
        available_file_ids: [ids.bob],
        available_files: [['your-first-component.md', ids.bob]],
      });
    }
  });

  it("404 before the stream for another user's file or conversation", async () => {
    const foreignFile = await postAsk(
      app.url,
      { question: 'Hi?', file_id: [ids.wiki] },
      { token: bob.token },
    );
    expect(foreignFile.status).toBe(404);
    expect(foreignFile.headers.get('content-type')).toMatch(/application\/json/);
    expect(await foreignFile.json()).toEqual({
      detail: `Không tìm thấy tài liệu với file_id: ${ids.wiki}`,
    });

    const created = (await (
      await api('/conversations/create', alice.token, { method: 'POST' })
    ).json()) as { conversation_id: string };
    const foreignConv = await postAsk(
      app.url,
      { question: 'Hi?', file_id: [ids.bob], conversation_id: created.conversation_id },
      { token: bob.token },
    );
    expect(foreignConv.status).toBe(404);
    expect(await foreignConv.json()).toEqual({
      detail: `Không tìm thấy hội thoại với ID ${created.conversation_id}`,
    });
  });

  it('429 before the stream while the caller has ASK_CONCURRENCY_PER_USER answers in progress', async () => {
    // The default, 4, taken as four answers in progress would take them.
    const held = Array.from({ length: 4 }, () => app.deps.askSlots.take(alice.userId));
    expect(held.every(Boolean)).toBe(true);
    const refused = await postAsk(
      app.url,
      { question: 'When was IBM founded?', file_id: [ids.wiki] },
      { token: alice.token },
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
    expect(await refused.json()).toEqual({
      detail: 'Bạn đang có quá nhiều câu hỏi chưa được trả lời xong. Vui lòng đợi rồi thử lại.',
    });
    // Another user is not held back.
    const other = await ask(
      app.url,
      { question: 'What is a component?', file_id: [ids.bob] },
      {
        token: bob.token,
      },
    );
    expect(other.events.at(-1)?.event).toBe('end');
    for (const release of held) release?.();

    // A stream the client leaves mid-answer gives its slot back too.
    const client = new AbortController();
    const left = await postAsk(
      app.url,
      { question: 'When was IBM founded?', file_id: [ids.wiki] },
      { token: alice.token, signal: client.signal },
    );
    expect(left.status).toBe(200);
    client.abort();
    await vi.waitFor(() => expect(app.deps.askSlots.held(alice.userId)).toBe(0), {
      timeout: 20_000,
    });
    const again = await ask(
      app.url,
      { question: 'When was IBM founded?', file_id: [ids.wiki] },
      {
        token: alice.token,
      },
    );
    expect(again.events.at(-1)?.event).toBe('end');
    expect(app.deps.askSlots.held(alice.userId)).toBe(0);
  });

  it('401 without credentials and 422 for invalid input', async () => {
    const anon = await postAsk(app.url, { question: 'Hi?', file_id: [ids.wiki] });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Bearer');
    const invalid: [unknown, Record<string, string | number>?][] = [
      [{ file_id: [ids.wiki] }],
      [{ question: 'Hi?', file_id: [ids.wiki], search_type: 'fuzzy' }],
      [{ question: 'Hi?', file_id: [ids.wiki], alpha: 1.5 }],
      [{ question: 'Hi?', file_id: [ids.wiki] }, { max_sources: 0 }],
      [{ question: 'Hi?', file_id: [ids.wiki] }, { max_sources: 51 }],
    ];
    for (const [body, query] of invalid) {
      const res = await postAsk(app.url, body, { token: alice.token, query });
      expect(res.status).toBe(422);
      const json = (await res.json()) as { detail: { loc: unknown[] }[] };
      expect(Array.isArray(json.detail)).toBe(true);
    }
  });
});

describe('conversation routes', () => {
  it('lists, opens, deletes and finds the latest conversation over REST', async () => {
    const { conversation_id } = (await (
      await api('/conversations/create', alice.token, { method: 'POST' })
    ).json()) as { conversation_id: string };
    await ask(
      app.url,
      { question: 'Where is IBM headquartered?', file_id: [ids.wiki], conversation_id },
      { token: alice.token },
    );

    const list = await api('/conversations?page=1&page_size=1', alice.token);
    expect(list.status).toBe(200);
    const listed = (await list.json()) as {
      data: Record<string, unknown>[];
      pagination: Record<string, number>;
    };
    expect(listed.data[0]).toMatchObject({
      conversation_id,
      first_message: 'Where is IBM headquartered?',
      message_count: 2,
      title: 'Where is IBM headquartered', // from the first question
    });
    expect(Object.keys(listed.data[0] ?? {}).sort()).toEqual(
      [
        'conversation_id',
        'created_at',
        'first_message',
        'last_updated',
        'message_count',
        'title',
        'user_id',
      ].sort(),
    );
    expect(listed.pagination.page_size).toBe(1);

    const detail = (await (await api(`/conversations/${conversation_id}`, alice.token)).json()) as {
      data: { messages: { role: string; sequence: number; sources?: unknown[] }[] };
    };
    expect(detail.data.messages.map((m) => [m.role, m.sequence])).toEqual([
      ['user', 1],
      ['assistant', 2],
    ]);
    expect(detail.data.messages[1]?.sources?.length).toBeGreaterThan(0);
    // Paged: the newest `limit`, or those before the sequence `before`; bad pages are 422.
    const paged = async (query: string) =>
      (
        (await (await api(`/conversations/${conversation_id}?${query}`, alice.token)).json()) as {
          data: { messages: { sequence: number }[] };
        }
      ).data.messages.map((m) => m.sequence);
    expect(await paged('limit=1')).toEqual([2]);
    expect(await paged('limit=1&before=2')).toEqual([1]);
    for (const bad of ['limit=0', 'limit=501', 'limit=x', 'before=0', 'before=2147483648'])
      expect((await api(`/conversations/${conversation_id}?${bad}`, alice.token)).status).toBe(422);
    expect((await api(`/conversations/${conversation_id}?limit=1`, bob.token)).status).toBe(404);
    const newest = (await (await api('/latest-conversation?limit=1', alice.token)).json()) as {
      messages: { sequence: number }[];
    };
    expect(newest.messages.map((m) => m.sequence)).toEqual([2]);
    expect((await api('/latest-conversation?limit=501', alice.token)).status).toBe(422);

    const latest = (await (await api('/latest-conversation', alice.token)).json()) as {
      found: boolean;
      conversation_info: { conversation_id: string };
    };
    expect(latest.found).toBe(true);
    expect(latest.conversation_info.conversation_id).toBe(conversation_id);

    const suggestions = (await (
      await api('/suggestions?num_suggestions=4', alice.token)
    ).json()) as Record<string, unknown>;
    expect(suggestions).toMatchObject({ conversation_id, from_history: true });
    expect(suggestions.suggestions).toHaveLength(4);

    const foreign = await api(`/conversations/${conversation_id}`, bob.token);
    expect(foreign.status).toBe(404);
    const foreignDelete = await api(`/conversations/${conversation_id}`, bob.token, {
      method: 'DELETE',
    });
    expect(foreignDelete.status).toBe(404);
    expect(await foreignDelete.json()).toEqual({
      detail: `Không tìm thấy hội thoại ${conversation_id} hoặc bạn không có quyền xóa`,
    });

    const deleted = await api(`/conversations/${conversation_id}`, alice.token, {
      method: 'DELETE',
    });
    expect(await deleted.json()).toEqual({
      status: 'success',
      message: `Đã xóa hội thoại ${conversation_id}`,
      conversation_id,
    });
    expect((await api(`/conversations/${conversation_id}`, alice.token)).status).toBe(404);
  });

  it('validates queries and requires a token', async () => {
    for (const path of [
      '/conversations?page=0',
      '/conversations?page_size=51',
      '/suggestions?num_suggestions=11',
      '/suggestions?num_suggestions=0',
    ]) {
      expect((await api(path, alice.token)).status).toBe(422);
    }
    for (const path of [
      '/conversations',
      '/latest-conversation',
      '/suggestions',
      '/conversations/conv_x',
    ]) {
      expect((await api(path, null)).status).toBe(401);
    }
    expect((await api('/conversations/create', null, { method: 'POST' })).status).toBe(401);
  });
});

describe('concurrency', () => {
  it('20 simultaneous asks by 5 users: no cross-talk, sequences unique and gap-free', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => app.signUp()));
    const docs = [
      'md/docling-wiki.md',
      'md/javascript-info-variables.md',
      'md/state-as-a-snapshot.md',
      'md/your-first-component.md',
      'md/mammoth-README.md',
    ];
    const files = await Promise.all(users.map((u, i) => upload(u, docs[i] as string)));
    const conversations = await Promise.all(
      users.map(
        async (u) =>
          (
            (await (await api('/conversations/create', u.token, { method: 'POST' })).json()) as {
              conversation_id: string;
            }
          ).conversation_id,
      ),
    );
    const questions = [
      'What is this document about?',
      'Give an example.',
      'Which words matter most?',
      'Summarise the first section.',
    ];
    const runs = users.flatMap((u, i) =>
      questions.map(async (question) => ({
        user: i,
        result: await ask(
          app.url,
          { question, file_id: [files[i]], conversation_id: conversations[i] },
          { token: u.token },
        ),
      })),
    );
    const results = await Promise.all(runs);
    for (const { user, result } of results) {
      expect(result.status).toBe(200);
      expect(result.events.at(-1)?.event).toBe('end');
      const qids = new Set(
        result.events.filter((e) => 'question_id' in e.data).map((e) => e.data.question_id),
      );
      expect(qids.size).toBe(1);
      for (const e of result.events)
        if ('conversation_id' in e.data) expect(e.data.conversation_id).toBe(conversations[user]);
      const sources = (result.byName('sources')[0] as { sources: { file_id: string }[] }).sources;
      expect(sources.every((s) => s.file_id === files[user])).toBe(true);
    }
    for (const [i, u] of users.entries()) {
      const detail = (await (await api(`/conversations/${conversations[i]}`, u.token)).json()) as {
        data: { messages: { sequence: number; role: string; question_id: string | null }[] };
      };
      const messages = detail.data.messages;
      expect(messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(messages.filter((m) => m.role === 'assistant')).toHaveLength(4);
      // Every answer is stored with the question id its user message carries.
      const asked = messages
        .filter((m) => m.role === 'user')
        .map((m) => m.question_id)
        .sort();
      const answered = messages
        .filter((m) => m.role === 'assistant')
        .map((m) => m.question_id)
        .sort();
      expect(answered).toEqual(asked);
    }
  });
});
