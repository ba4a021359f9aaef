import { beforeAll, describe, expect, it } from 'vitest';

import { makePdf, uploadForm } from '../../support/fixtures';
import { callerFor } from '../../support/harness';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const app = useTestApp({ env: { CHUNK_SIZE: '200', CHUNK_OVERLAP: '40' } });
let alice: TestUser;
let bob: TestUser;
let pdfBytes: Uint8Array;
let pdf: { file_id: string; chunks_count: number };
let txt: { file_id: string };
const TXT = 'Ghi chú về pgvector.\nDòng thứ hai.\n';
const PDF_NAME = 'Báo cáo quý 2.pdf';

// Page 2 is long enough for several chunks at CHUNK_SIZE 200.
const lines = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${topic} line ${i + 1} talks about ${topic} number ${i}.`);
const PAGES = [
  lines('alpha', 3).join('\n'),
  lines('beta', 20).join('\n'),
  lines('gamma', 2).join('\n'),
];

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
  pdfBytes = await makePdf(PAGES);
  pdf = (await upload(alice, PDF_NAME, pdfBytes)) as typeof pdf;
  txt = (await upload(alice, 'notes.txt', TXT)) as typeof txt;
});

const api = (path: string, u: TestUser | null) =>
  fetch(`${app.url}${app.deps.env.API_PREFIX}${path}`, {
    headers: u ? { authorization: `Bearer ${u.token}` } : {},
  });

async function upload(u: TestUser, name: string, content: Uint8Array | string) {
  const res = await fetch(`${app.url}${app.deps.env.API_PREFIX}/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${u.token}` },
    body: uploadForm(name, content),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

type Page = {
  file_id: string;
  filename: string;
  page: number;
  page_count: number;
  text: string;
  chunks: { chunk_index: number; start: number; end: number }[];
};
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('GET /files/{file_id}/content', () => {
  it('streams the original PDF with its type and an RFC 6266 filename', async () => {
    const res = await api(`/files/${pdf.file_id}/content`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Bao cao quy 2.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%202.pdf`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(pdfBytes))).toBe(true);
  });

  it('serves a text file byte for byte with a plain filename', async () => {
    const res = await api(`/files/${txt.file_id}/content`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="notes.txt"');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(TXT)));
    expect(await res.text()).toBe(TXT);
  });
});

describe('GET /files/{file_id}/pages/{n}', () => {
  it("returns each page's text and chunk offsets matching what was indexed", async () => {
    const seen: number[] = [];
    for (let n = 1; n <= PAGES.length; n++) {
      const res = await api(`/files/${pdf.file_id}/pages/${n}`, alice);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      expect(Object.keys(page).sort()).toEqual(
        ['chunks', 'file_id', 'filename', 'page', 'page_count', 'text'].sort(),
      );
      expect(page).toMatchObject({
        file_id: pdf.file_id,
        filename: PDF_NAME,
        page: n,
        page_count: 3,
      });
      expect(squash(page.text)).toBe(squash(PAGES[n - 1]!));
      expect(page.chunks.length).toBeGreaterThan(0);
      for (const c of page.chunks) {
        expect(0 <= c.start && c.start < c.end && c.end <= page.text.length).toBe(true);
        seen.push(c.chunk_index);
        // The same chunk in the index: same page and the same words at those offsets.
        const [hit] = await app.deps.vectorIndex
          .search({
            userId: alice.userId,
            mode: 'keyword',
            text: squash(page.text.slice(c.start, c.end)),
            filter: { fileIds: [pdf.file_id], pages: [n] },
            limit: 50,
            alpha: 0,
          })
          .then((hits) => hits.filter((h) => h.chunk.chunkIndex === c.chunk_index));
        expect(hit, `chunk ${c.chunk_index}`).toBeDefined();
        expect(squash(hit!.chunk.content)).toBe(squash(page.text.slice(c.start, c.end)));
      }
    }
    expect(seen.length).toBeGreaterThan(PAGES.length); // page 2 has several chunks
    expect(seen).toEqual(Array.from({ length: pdf.chunks_count }, (_, i) => i));
  });

  it('404s a page out of range and a file without pages; 422s a malformed page number', async () => {
    const past = await api(`/files/${pdf.file_id}/pages/4`, alice);
    expect(past.status).toBe(404);
    expect(await past.json()).toEqual({
      detail: `Trang 4 không tồn tại trong file ${pdf.file_id} (có 3 trang)`,
    });
    const flat = await api(`/files/${txt.file_id}/pages/1`, alice);
    expect(flat.status).toBe(404);
    expect(((await flat.json()) as { detail: string }).detail).toMatch(/không có trang/);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const res = await api(`/files/${pdf.file_id}/pages/${bad}`, alice);
      expect(res.status, bad).toBe(422);
    }
  });

  it('tRPC files.page answers the same body', async () => {
    const asAlice = await callerFor(app.deps, alice.token);
    const page = await asAlice.files.page({ file_id: pdf.file_id, page: 1 });
    expect(squash(page.text)).toBe(squash(PAGES[0]!));
    await expect(asAlice.files.page({ file_id: pdf.file_id, page: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('isolation', () => {
  it('another user gets the file-not-found 404 for every new route, like a missing id', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [pdf.file_id, txt.file_id, missing, 'not-a-uuid']) {
      for (const path of [`/files/${id}/content`, `/files/${id}/pages/1`]) {
        const res = await api(path, bob);
        expect(res.status, path).toBe(404);
        expect(await res.json()).toEqual({ detail: `File ${id} không tồn tại` });
        expect(res.headers.get('content-disposition')).toBeNull();
      }
    }
    const asBob = await callerFor(app.deps, bob.token);
    await expect(asBob.files.page({ file_id: pdf.file_id, page: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    for (const path of [`/files/${pdf.file_id}/content`, `/files/${pdf.file_id}/pages/1`]) {
      expect((await api(path, null)).status, path).toBe(401);
    }
  });
});
