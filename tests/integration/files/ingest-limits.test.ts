import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  documentedErrorBody,
  DocumentError,
  parseBudget,
  parseDocument,
  type Deps,
} from '@rag/core/testing';

import { makePdf, uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import {
  docxBomb,
  docxLyingSizes,
  pdfWithBadFlatePage,
  pdfWithHugeStream,
  pdfWithRecursivePages,
} from '../../support/hostile-documents';
import { appErrorOf, signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let alice: TestUser;

beforeAll(async () => {
  // A small upload cap keeps the inflation budget (a multiple of it) small, and the fixtures with it.
  deps = await createTestDeps({ MAX_UPLOAD_MB: '2' });
  alice = await signUpUser(deps);
});
afterAll(async () => deps?.close());

/** Uploads and expects the contract's upload error, with nothing left behind. */
async function expectRefused(name: string, bytes: Uint8Array | string) {
  const api = await callerFor(deps, alice.token);
  const err = await appErrorOf(api.files.upload(uploadForm(name, bytes)));
  expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(err.code);
  expect(documentedErrorBody(err)).toMatchObject({ filename: name, status: 'error' });
  expect((await api.files.list()).files).toEqual([]);
  expect(await deps.vectorIndex.count(alice.userId)).toBe(0);
  expect(await deps.blobs.list()).toEqual([]);
  // The server keeps working: an ordinary upload still succeeds.
  const ok = await api.files.upload(uploadForm('fine.txt', 'Ordinary text after a refusal.'));
  expect(ok.status).toBe('success');
  await api.files.delete({ filename: 'fine.txt' });
  return err;
}

describe('documents that fail while being read', () => {
  it('a PDF whose page stream is not valid Flate data is a 400 upload error', async () => {
    const err = await expectRefused('bad-flate.pdf', await pdfWithBadFlatePage());
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/^Lỗi khi đọc file: /);
  });
});

describe('decompression bombs and pathological input', () => {
  it('a DOCX whose document.xml inflates far beyond the upload cap is refused before inflating', async () => {
    const bomb = await docxBomb(50);
    expect(bomb.byteLength).toBeLessThan(200 * 1024);
    const err = await expectRefused('bomb.docx', bomb);
    expect(err.message).toMatch(/^Lỗi khi đọc file: /);
  });

  it('a DOCX lying about its sizes in the central directory is refused while inflating', async () => {
    await expectRefused('liar.docx', await docxLyingSizes(30));
  });

  it('a PDF with a stream inflating far beyond the cap is refused', async () => {
    const pdf = await pdfWithHugeStream(40);
    expect(pdf.byteLength).toBeLessThan(1024 * 1024);
    await expectRefused('huge-stream.pdf', pdf);
  });

  it('a PDF whose page tree refers to itself is refused', async () => {
    await expectRefused('loop.pdf', await pdfWithRecursivePages());
  });

  it('a text file that is one enormous line is indexed in bounded pieces, not held whole', async () => {
    const api = await callerFor(deps, alice.token);
    const line = 'word '.repeat(300_000); // 1.5 MB, no newline
    const res = await api.files.upload(uploadForm('one-line.txt', line));
    expect(res.chunks_count).toBeGreaterThan(100);
    await api.files.delete({ filename: 'one-line.txt' });
  });

  it('a SQL file that is one enormous statement line is indexed in bounded pieces', async () => {
    const api = await callerFor(deps, alice.token);
    const values = Array.from({ length: 40_000 }, (_, i) => `(${i},'v${i}')`).join(',');
    const res = await api.files.upload(
      uploadForm('dump.sql', `INSERT INTO t (id, v) VALUES ${values};`),
    );
    expect(res.chunks_count).toBeGreaterThan(10);
    await api.files.delete({ filename: 'dump.sql' });
  });
});

describe('the time budget per document', () => {
  it('stops parsing once the deadline has passed, as a refusal', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'budget-')), 'a.pdf');
    writeFileSync(path, await makePdf(['One page.', 'Two pages.']));
    const spent = parseBudget(2, 1, Date.now() - 10_000);
    const doc = await parseDocument(path, '.pdf', spent);
    const err = await (async () => {
      for await (const s of doc.segments) void s;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).problem).toBe('too-complex');
  });
});

describe('category', () => {
  it('files.upload refuses a category over 100 characters with a 422, storing nothing', async () => {
    const api = await callerFor(deps, alice.token);
    const err = await appErrorOf(
      api.files.upload(uploadForm('cat.txt', 'Some text.', { category: 'x'.repeat(64 * 1024) })),
    );
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.message).toMatch(/category/);
    expect((await api.files.list()).files).toEqual([]);
    expect(await deps.blobs.list()).toEqual([]);
  });
});
