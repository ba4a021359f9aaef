import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import { pdfWithBadFlatePage } from '../../support/hostile-documents';
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
  expect(err.options.body).toMatchObject({ filename: name, status: 'error' });
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
