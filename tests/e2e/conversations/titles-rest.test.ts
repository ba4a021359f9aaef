import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import { callerFor } from '../../support/harness';
import { ask } from '../../support/sse-client';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

const app = useTestApp();
let alice: TestUser;
let bob: TestUser;
let fileId: string;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
  fileId = (
    await ingestFile(app.deps, {
      userId: alice.userId,
      filename: 'your-first-component.md',
      source: readFileSync(join(CORPUS, 'md/your-first-component.md')),
    })
  ).fileId;
});

const api = (path: string, u: TestUser | null, init: RequestInit = {}) =>
  fetch(`${app.url}${app.deps.env.API_PREFIX}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(u ? { authorization: `Bearer ${u.token}` } : {}),
    },
  });

/** Asks in the given conversation, or in a new one (without an id the ask continues the current one). */
async function askAs(u: TestUser, question: string, conversationId?: string) {
  const conversation_id =
    conversationId ??
    (
      (await (await api('/conversations/create', u, { method: 'POST' })).json()) as {
        conversation_id: string;
      }
    ).conversation_id;
  const r = await ask(
    app.url,
    { question, file_id: [fileId], conversation_id },
    { token: u.token, prefix: app.deps.env.API_PREFIX },
  );
  expect(r.status).toBe(200);
  const end = r.byName('end')[0] ?? r.byName('start')[0];
  return String(end?.conversation_id);
}

const rename = (u: TestUser | null, id: string, body: unknown) =>
  api(`/conversations/${id}`, u, { method: 'PATCH', body: JSON.stringify(body) });

async function titleInList(u: TestUser, id: string) {
  const list = (await (await api('/conversations?page_size=50', u)).json()) as {
    data: { conversation_id: string; title: string | null }[];
  };
  return list.data.find((c) => c.conversation_id === id)?.title;
}

describe('conversation titles', () => {
  it('titles a conversation from its first question and keeps it on later questions', async () => {
    const id = await askAs(alice, '  What is   a React component, and how do I write one?  ');
    expect(await titleInList(alice, id)).toBe('What is a React component, and how do I write one');
    await askAs(alice, 'And what about props?', id);
    expect(await titleInList(alice, id)).toBe('What is a React component, and how do I write one');
    const detail = (await (await api(`/conversations/${id}`, alice)).json()) as {
      data: { title: string };
    };
    expect(detail.data.title).toBe('What is a React component, and how do I write one');
  });

  it('titles a conversation created empty when its first question arrives', async () => {
    const created = (await (
      await api('/conversations/create', alice, { method: 'POST' })
    ).json()) as { conversation_id: string };
    expect(await titleInList(alice, created.conversation_id)).toBeNull();
    await askAs(alice, 'Components là gì?', created.conversation_id);
    expect(await titleInList(alice, created.conversation_id)).toBe('Components là gì');
  });

  it('PATCH renames (trimmed), the list and the detail show it, and a later question keeps it', async () => {
    const id = await askAs(alice, 'How do I nest components?');
    const res = await rename(alice, id, { title: '  Nesting notes  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'success',
      message: `Đã đổi tên hội thoại ${id}`,
      conversation_id: id,
      title: 'Nesting notes',
    });
    expect(await titleInList(alice, id)).toBe('Nesting notes');
    await askAs(alice, 'Can a component export two things?', id);
    expect(await titleInList(alice, id)).toBe('Nesting notes');

    expect((await rename(alice, id, { title: 't'.repeat(200) })).status).toBe(200);
    expect(await titleInList(alice, id)).toBe('t'.repeat(200));

    // A lone surrogate (JSON allows "\ud800") answers as it is stored: U+FFFD.
    const odd = await rename(alice, id, { title: 'Ghi chú \ud800 cũ' });
    expect(((await odd.json()) as { title: string }).title).toBe('Ghi chú \ufffd cũ');
    expect(await titleInList(alice, id)).toBe('Ghi chú \ufffd cũ');
  });

  it('refuses bad titles with 422 and keeps the old one', async () => {
    const id = await askAs(alice, 'What is JSX?');
    for (const body of [
      {},
      { title: '' },
      { title: '   \n\t ' },
      { title: 't'.repeat(201) },
      { title: 42 },
      { title: null },
      { title: 'bad\u0000title' },
    ]) {
      const res = await rename(alice, id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await res.json()) as { detail: unknown }).detail).toBeDefined();
    }
    const raw = await api(`/conversations/${id}`, alice, { method: 'PATCH', body: '{"title":' });
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.status).toBeLessThan(500);
    expect(await titleInList(alice, id)).toBe('What is JSX');
  });

  it("another user's id and a missing id are both 404, and nothing changes", async () => {
    const id = await askAs(alice, 'Why must component names start with a capital letter?');
    const foreign = await rename(bob, id, { title: 'mine now' });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({
      detail: `Không tìm thấy hội thoại ${id} hoặc bạn không có quyền đổi tên`,
    });
    const missing = await rename(bob, 'conv_missing', { title: 'x' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      detail: 'Không tìm thấy hội thoại conv_missing hoặc bạn không có quyền đổi tên',
    });
    expect(await titleInList(alice, id)).toBe(
      'Why must component names start with a capital letter',
    );
    expect(await titleInList(bob, id)).toBeUndefined();
    expect((await rename(null, id, { title: 'x' })).status).toBe(401);
  });

  it('tRPC conversations.rename renames and is scoped to the caller', async () => {
    const id = await askAs(alice, 'What does export default do?');
    const asAlice = await callerFor(app.deps, alice.token);
    const asBob = await callerFor(app.deps, bob.token);
    await expect(
      asBob.conversations.rename({ conversation_id: id, title: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      asAlice.conversations.rename({ conversation_id: id, title: ' ' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const ok = await asAlice.conversations.rename({ conversation_id: id, title: 'Exports' });
    expect(ok.title).toBe('Exports');
    const listed = await asAlice.conversations.list({ page: 1, page_size: 50 });
    expect(listed.data.find((c) => c.conversation_id === id)?.title).toBe('Exports');
  });
});
