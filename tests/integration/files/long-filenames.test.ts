import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core/testing';

import { uploadForm } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import { signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let alice: TestUser;

beforeAll(async () => {
  deps = await createTestDeps();
  alice = await signUpUser(deps);
});
afterAll(async () => deps?.close());

describe('uploads with names at the edges', () => {
  it('accepts a .txt whose name is 300 characters and lists it, shortened, with its extension', async () => {
    const api = await callerFor(deps, alice.token);
    const raw = 'x'.repeat(296) + '.txt';
    const res = await api.files.upload(
      uploadForm(raw, 'Nội dung hợp lệ của một tệp có tên rất dài.'),
    );
    expect(res.status).toBe('success');
    expect(res.filename).toBe('x'.repeat(251) + '.txt');
    const listed = (await api.files.list()).files.find((f) => f.id === res.file_id);
    expect(listed).toMatchObject({ filename: res.filename, extension: '.txt' });
    expect(listed?.path.endsWith(`${res.file_id}.txt`)).toBe(true);
    // The stored (display) name, the one the listing shows, deletes it; so does the name as uploaded.
    expect(await api.files.delete({ filename: res.filename })).toMatchObject({ status: 'success' });
    const again = await api.files.upload(uploadForm(raw, 'Lần tải thứ hai, cùng tên dài.'));
    expect(await api.files.delete({ filename: raw })).toMatchObject({ status: 'success' });
    expect((await api.files.list()).files.some((f) => f.id === again.file_id)).toBe(false);
  });

  it('a name that only cleans up to a stored one deletes nothing', async () => {
    const api = await callerFor(deps, alice.token);
    const kept = await api.files.upload(uploadForm('report.txt', 'Báo cáo cần giữ lại.'));
    await api.files.upload(uploadForm('file', 'Tệp tên là file.')).catch(() => undefined);
    for (const name of ['docs/report.txt', ' report.txt ', 'C:\\x\\report.txt', '\u0001', '/'])
      await expect(api.files.delete({ filename: name })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    expect((await api.files.list()).files.some((f) => f.id === kept.file_id)).toBe(true);
    await api.files.delete({ filename: 'report.txt' });
  });

  it('takes a file named just ".txt" as a text file', async () => {
    const api = await callerFor(deps, alice.token);
    const res = await api.files.upload(uploadForm('.txt', 'Chỉ có phần mở rộng trong tên.'));
    expect(res).toMatchObject({ filename: '.txt', status: 'success' });
    const listed = (await api.files.list()).files.find((f) => f.id === res.file_id);
    expect(listed).toMatchObject({ filename: '.txt', extension: '.txt' });
    await api.files.delete({ filename: '.txt' });
  });
});
