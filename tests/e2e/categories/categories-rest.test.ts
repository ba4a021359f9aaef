import { beforeAll, describe, expect, it } from 'vitest';

import { paragraphs, uploadForm } from '../../support/fixtures';
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
const auth = (u: TestUser) => ({ authorization: `Bearer ${u.token}` });

async function upload(u: TestUser, name: string, text: string, category?: string) {
  const res = await fetch(api('/upload'), {
    method: 'POST',
    headers: auth(u),
    body: uploadForm(name, text, category === undefined ? {} : { category }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { file_id: string };
}
const stats = async (u: TestUser) => {
  const res = await fetch(api('/categories/stats'), { headers: auth(u) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /categories/stats', () => {
  it('counts only the caller’s files; uncategorised files count in the total only', async () => {
    expect(await stats(alice)).toEqual({
      status: 200,
      body: {
        total_documents: 0,
        documents_by_category: {},
        categories: [],
        uncategorized_documents: 0,
      },
    });
    await upload(alice, 'law-1.txt', paragraphs('contract law', 2), 'law');
    await upload(alice, 'law-2.txt', paragraphs('civil code', 2), '  law  ');
    await upload(alice, 'tech.txt', paragraphs('database index', 2), 'tech');
    await upload(alice, 'plain.txt', paragraphs('poem verse', 2));
    await upload(bob, 'bob.txt', paragraphs('bob secret', 2), 'secret');
    expect((await stats(alice)).body).toEqual({
      total_documents: 4,
      documents_by_category: { law: 2, tech: 1 },
      categories: ['law', 'tech'],
      uncategorized_documents: 1,
    });
    expect((await stats(bob)).body).toMatchObject({
      total_documents: 1,
      documents_by_category: { secret: 1 },
    });
  });

  it('needs a login', async () => {
    const res = await fetch(api('/categories/stats'));
    expect(res.status).toBe(401);
  });
});

describe('category scoping', () => {
  it('ask with a category the caller has no file in is the documented 400', async () => {
    const res = await fetch(api('/ask/stream'), {
      method: 'POST',
      headers: { ...auth(bob), 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'contract law?', category: 'law' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; available_file_ids: string[] };
    expect(body.message).toContain('law');
    expect(body.available_file_ids).toHaveLength(1);
  });

  it('ask with only a category answers over the caller’s files in it', async () => {
    const res = await fetch(api('/ask/stream'), {
      method: 'POST',
      headers: { ...auth(alice), 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'database index?', category: 'tech' }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const sources = /event: sources\ndata: (.*)\n/.exec(text);
    const data = JSON.parse(sources![1]!) as { sources: { source: string }[] };
    expect(data.sources.length).toBeGreaterThan(0);
    expect(new Set(data.sources.map((s) => s.source))).toEqual(new Set(['tech.txt']));
  });

  it('delete-by-filter on category resolves through the caller’s files only', async () => {
    const bobBefore = await stats(bob);
    const res = await fetch(api('/collections/delete-by-filter'), {
      method: 'POST',
      headers: { ...auth(alice), 'content-type': 'application/json' },
      body: JSON.stringify({
        filter: { must: [{ key: 'metadata.category', match: { any: ['law', 'secret'] } }] },
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Đã xóa [1-9]\d* điểm/);
    expect((await stats(alice)).body).toMatchObject({
      total_documents: 2,
      documents_by_category: { tech: 1 },
      uncategorized_documents: 1,
    });
    expect(await stats(bob)).toEqual(bobBefore);
    const none = await fetch(api('/collections/delete-by-filter'), {
      method: 'POST',
      headers: { ...auth(alice), 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { must: [{ key: 'category', match: { value: 'nope' } }] } }),
    });
    expect(await none.json()).toEqual({
      status: 'success',
      message: 'Đã xóa 0 điểm dữ liệu thành công.',
    });
    expect((await stats(alice)).body).toMatchObject({ total_documents: 2 });
  });
});
