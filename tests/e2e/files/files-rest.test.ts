import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { corpusPath } from '../../support/corpus';
import { makePdf, paragraphs, uploadForm } from '../../support/fixtures';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const app = useTestApp({ env: { MAX_UPLOAD_MB: '1' } });
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
});

const api = (path: string) => `${app.url}${app.deps.env.API_PREFIX}${path}`;
const auth = (u: TestUser) => ({ authorization: `Bearer ${u.token}` });

async function upload(
  u: TestUser,
  name: string,
  content: Uint8Array | string,
  fields: Record<string, string> = {},
) {
  const res = await fetch(api('/upload'), {
    method: 'POST',
    headers: auth(u),
    body: uploadForm(name, content, fields),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /upload', () => {
  it('bounds category at 100 characters: 422 beyond, nothing stored; 100 is accepted', async () => {
    const before = await app.deps.vectorIndex.count(bob.userId);
    const long = await upload(bob, 'long-category.txt', paragraphs('category', 2), {
      category: 'c'.repeat(101),
    });
    expect(long.status).toBe(422);
    expect(JSON.stringify(long.body)).toMatch(/category/);
    expect(await app.deps.vectorIndex.count(bob.userId)).toBe(before);
    const listed = await fetch(api('/files'), { headers: auth(bob) });
    const names = ((await listed.json()) as { files: { filename: string }[] }).files.map(
      (f) => f.filename,
    );
    expect(names).not.toContain('long-category.txt');

    const ok = await upload(bob, 'long-category.txt', paragraphs('category', 2), {
      category: 'c'.repeat(100),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.category).toBe('c'.repeat(100));
    await fetch(api('/files/long-category.txt'), { method: 'DELETE', headers: auth(bob) });
  });

  it('indexes a PDF and answers the documented body', async () => {
    const pdf = await makePdf([
      'Alpha page about pgvector indexes.',
      'Beta page about BM25 ranking.',
    ]);
    const { status, body } = await upload(alice, 'two-pages.pdf', pdf, { category: 'docs' });
    expect(status).toBe(200);
    const { file_id, ...rest } = body;
    expect(file_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rest).toEqual({
      filename: 'two-pages.pdf',
      status: 'success',
      message: 'Đã tải lên và index thành công 2 chunks từ tài liệu',
      chunks_count: 2,
      category: 'docs',
    });
  });

  it('keeps Vietnamese filenames and stores the file under its id', async () => {
    const { status, body } = await upload(
      alice,
      'Tài liệu hướng dẫn.md',
      '# Tiêu đề\n\nNội dung tiếng Việt có dấu.',
    );
    expect(status).toBe(200);
    expect(body.filename).toBe('Tài liệu hướng dẫn.md');
    const files = (await (await fetch(api('/files'), { headers: auth(alice) })).json()) as {
      files: { id: string; path: string; filename: string }[];
    };
    const row = files.files.find((f) => f.id === body.file_id)!;
    expect(row.path).toBe(`${alice.userId}/${body.file_id as string}.md`);
    expect(row.path).not.toMatch(/^\//);
  });

  it('refuses an unsupported extension with 400 and the contract body, leaving nothing', async () => {
    const { status, body } = await upload(alice, 'archive.zip', 'PK\u0003\u0004 not really');
    expect(status).toBe(400);
    expect(body).toEqual({
      filename: 'archive.zip',
      status: 'error',
      message: 'Không hỗ trợ định dạng file .zip',
    });
  });

  it('refuses a corrupt document with "Lỗi khi đọc file: ..." and an empty one with the empty message', async () => {
    const corrupt = await upload(
      alice,
      'broken.docx',
      readFileSync(corpusPath('docx/truncated62886.docx')),
    );
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.message).toMatch(/^Lỗi khi đọc file: /);
    const empty = await upload(alice, 'blank.txt', '   \n\n  ');
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      filename: 'blank.txt',
      status: 'error',
      message: 'Không thể tải tài liệu hoặc tài liệu rỗng',
    });
  });

  it('answers 413 past MAX_UPLOAD_MB with the same body shape and keeps nothing', async () => {
    const before = await app.deps.blobs.list();
    const big = 'x'.repeat(1024 * 1024 + 10);
    const { status, body } = await upload(alice, 'big.txt', big);
    expect(status).toBe(413);
    expect(body).toEqual({
      filename: 'big.txt',
      status: 'error',
      message: 'File vượt quá giới hạn 1 MB',
    });
    expect(await app.deps.blobs.list()).toEqual(before);
  });

  it('requires authentication and the file field', async () => {
    const anon = await fetch(api('/upload'), {
      method: 'POST',
      body: uploadForm('a.txt', 'hello'),
    });
    expect(anon.status).toBe(401);
    const form = new FormData();
    form.append('category', 'x');
    const missing = await fetch(api('/upload'), {
      method: 'POST',
      headers: auth(alice),
      body: form,
    });
    expect(missing.status).toBe(422);
    const detail = ((await missing.json()) as { detail: { loc: string[] }[] }).detail;
    expect(detail[0]!.loc).toEqual(['body', 'file']);
  });

  it('does not re-index identical bytes and replaces a same-name file once the new one is indexed', async () => {
    const first = await upload(alice, 'notes.txt', paragraphs('gardening', 4));
    const again = await upload(alice, 'notes.txt', paragraphs('gardening', 4));
    expect(again.status).toBe(200);
    expect(again.body.file_id).toBe(first.body.file_id);
    const second = await upload(alice, 'notes.txt', paragraphs('astronomy', 4));
    expect(second.body.file_id).not.toBe(first.body.file_id);
    const list = (await (await fetch(api('/files'), { headers: auth(alice) })).json()) as {
      files: { filename: string; id: string }[];
    };
    expect(list.files.filter((f) => f.filename === 'notes.txt').map((f) => f.id)).toEqual([
      second.body.file_id,
    ]);
    expect(
      await app.deps.vectorIndex.count(alice.userId, { fileIds: [first.body.file_id as string] }),
    ).toBe(0);
  });
});

describe('GET /files, DELETE /files/{filename}', () => {
  it('lists from the database with size, dotted extension and upload date; deletes by name and by id', async () => {
    const content = paragraphs('volcanoes', 3);
    const up = await upload(bob, 'volcano.txt', content, { category: 'geo' });
    const list = (await (await fetch(api('/files'), { headers: auth(bob) })).json()) as {
      total_files: number;
      files: Record<string, unknown>[];
    };
    expect(list.total_files).toBe(1);
    const { upload_date, ...listed } = list.files[0] ?? {};
    expect(typeof upload_date).toBe('string');
    expect(listed).toEqual({
      filename: 'volcano.txt',
      path: `${bob.userId}/${up.body.file_id as string}.txt`,
      size: Buffer.byteLength(content),
      extension: '.txt',
      category: 'geo',
      id: up.body.file_id,
    });
    const del = await fetch(api('/files/volcano.txt'), { method: 'DELETE', headers: auth(bob) });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({
      filename: 'volcano.txt',
      status: 'success',
      message: `Đã xóa file volcano.txt và ${up.body.chunks_count as number} index liên quan`,
      removed_points: up.body.chunks_count,
    });
    const again = await fetch(api('/files/volcano.txt'), { method: 'DELETE', headers: auth(bob) });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ detail: 'File volcano.txt không tồn tại' });

    const byId = await upload(bob, 'second.md', '# Heading\n\nSome text here.');
    const delId = await fetch(api(`/files/${byId.body.file_id as string}`), {
      method: 'DELETE',
      headers: auth(bob),
    });
    expect(delId.status).toBe(200);
    expect(((await delId.json()) as { removed_points: number }).removed_points).toBe(
      byId.body.chunks_count,
    );
  });
});

describe('POST /collections/delete-by-filter, DELETE /collection/reset', () => {
  it('deletes by filter with the exact count, refuses bad filters with 400', async () => {
    const up = await upload(
      bob,
      'filter.pdf',
      await makePdf(['One page.', 'Two page.', 'Three page.']),
    );
    const res = await fetch(api('/collections/delete-by-filter'), {
      method: 'POST',
      headers: { ...auth(bob), 'content-type': 'application/json' },
      body: JSON.stringify({
        filter: {
          must: [
            { key: 'metadata.file_id', match: { value: up.body.file_id } },
            { key: 'page', match: { any: [1, 2] } },
          ],
        },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'success',
      message: 'Đã xóa 2 điểm dữ liệu thành công.',
    });
    const bad = await fetch(api('/collections/delete-by-filter'), {
      method: 'POST',
      headers: { ...auth(bob), 'content-type': 'application/json' },
      body: JSON.stringify({
        filter: { must: [{ key: 'user_id', match: { value: alice.userId } }] },
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { status: string; message: string }).message).toMatch(
      /^Lỗi khi xóa điểm theo filter: /,
    );
  });

  it('resets only the caller: chunks, file rows and stored files', async () => {
    await upload(bob, 'reset-me.txt', paragraphs('rivers', 3));
    const aliceBefore = await app.deps.vectorIndex.count(alice.userId);
    const res = await fetch(api('/collection/reset'), { method: 'DELETE', headers: auth(bob) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'success',
      message: `Đã xóa và tạo lại collection user_${bob.userId}`,
      vector_size: app.deps.embedder.dimensions,
    });
    expect(await app.deps.vectorIndex.count(bob.userId)).toBe(0);
    const list = (await (await fetch(api('/files'), { headers: auth(bob) })).json()) as {
      total_files: number;
    };
    expect(list.total_files).toBe(0);
    expect((await app.deps.blobs.list()).some((k) => k.startsWith(`${bob.userId}/`))).toBe(false);
    expect(await app.deps.vectorIndex.count(alice.userId)).toBe(aliceBefore);
  });
});

describe('OpenAPI', () => {
  it('documents every file route', async () => {
    const doc = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const p = app.deps.env.API_PREFIX;
    expect(doc.paths[`${p}/upload`]?.post).toBeDefined();
    expect(doc.paths[`${p}/files`]?.get).toBeDefined();
    expect(doc.paths[`${p}/files/{filename}`]?.delete).toBeDefined();
    expect(doc.paths[`${p}/collection/reset`]?.delete).toBeDefined();
    expect(doc.paths[`${p}/collections/delete-by-filter`]?.post).toBeDefined();
  });

  it('shows the delete filter the domain validates with: clauses, keys and page bounds', async () => {
    const text = await (await fetch(`${app.url}/openapi.json`)).text();
    const doc = JSON.parse(text) as {
      paths: Record<string, { post: { requestBody: unknown } }>;
    };
    const body = doc.paths[`${app.deps.env.API_PREFIX}/collections/delete-by-filter`]?.post
      .requestBody as {
      content: { 'application/json': { schema: { properties: { filter: unknown } } } };
    };
    const filter = body.content['application/json'].schema.properties.filter as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(filter.properties)).toEqual(['must', 'should', 'must_not']);
    expect(filter.additionalProperties).toBe(false);
    const rendered = JSON.stringify(filter);
    for (const key of [
      'file_id',
      'metadata.file_id',
      'source',
      'category',
      'page',
      'metadata.page',
    ])
      expect(rendered).toContain(`"${key}"`);
    expect(rendered).toContain('"maximum":2147483647');
  });
});
