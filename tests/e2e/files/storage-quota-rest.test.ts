import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRagClient, createRestClient } from '@rag/client';
import { QuotaMessages } from '@rag/core/testing';

import { paragraphs, uploadForm } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

const QUOTA_BYTES = Math.floor(0.01 * 1024 * 1024); // USER_STORAGE_QUOTA_MB=0.01
const app = useTestApp({ env: { USER_STORAGE_QUOTA_MB: '0.01', USER_MAX_FILES: '3' } });
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
});

const auth = (u: TestUser) => ({ authorization: `Bearer ${u.token}` });
/** A Markdown document of exactly `bytes` bytes (ASCII). */
const doc = (topic: string, bytes: number) =>
  `# ${topic}\n\n${paragraphs(topic, Math.ceil(bytes / 20))}`.slice(0, bytes);

async function upload(u: TestUser, name: string, content: string, query = '') {
  const res = await fetch(`${app.url}/api/upload${query}`, {
    method: 'POST',
    headers: auth(u),
    body: uploadForm(name, content),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function usage(u: TestUser) {
  const res = await fetch(`${app.url}/api/storage`, { headers: auth(u) });
  expect(res.status).toBe(200);
  return (await res.json()) as { used_bytes: number; files: number };
}

async function listed(u: TestUser) {
  const res = await fetch(`${app.url}/api/files`, { headers: auth(u) });
  return ((await res.json()) as { files: { filename: string }[] }).files.map((f) => f.filename);
}

describe('per-user storage quota over REST, tRPC and the client (USER_STORAGE_QUOTA_MB, USER_MAX_FILES)', () => {
  it('reports usage and limits to its owner only', async () => {
    expect((await fetch(`${app.url}/api/storage`)).status).toBe(401);
    const res = await fetch(`${app.url}/api/storage`, { headers: auth(bob) });
    expect(await res.json()).toEqual({
      used_bytes: 0,
      files: 0,
      quota_bytes: QUOTA_BYTES,
      max_files: 3,
      max_upload_mb: 50,
    });
  });

  it('refuses an upload beyond the byte quota with a 413 naming the file, keeping nothing', async () => {
    const first = doc('storage quota', 6000);
    expect((await upload(alice, 'a.md', first)).status).toBe(200);
    expect(await usage(alice)).toMatchObject({ used_bytes: 6000, files: 1 });
    const blobs = await app.deps.blobs.list();

    const big = doc('too much', 5000);
    const sync = await upload(alice, 'b.md', big);
    expect(sync).toEqual({
      status: 413,
      body: {
        filename: 'b.md',
        status: 'error',
        message: QuotaMessages.bytes(5000, 6000, QUOTA_BYTES),
      },
    });
    expect((await upload(alice, 'b.md', big, '?async=true')).status).toBe(413);
    expect(await app.deps.blobs.list()).toEqual(blobs);
    expect(await listed(alice)).toEqual(['a.md']);
    expect(await usage(alice)).toMatchObject({ used_bytes: 6000, files: 1 });

    // Another user's documents are theirs alone: Bob's room is whole, and his upload leaves Alice's usage.
    expect((await upload(bob, 'b.md', big)).status).toBe(200);
    expect(await usage(alice)).toMatchObject({ used_bytes: 6000, files: 1 });

    // A new version of a.md replaces it, so only its own size counts.
    expect((await upload(alice, 'a.md', doc('storage quota again', 9000))).status).toBe(200);
    expect(await usage(alice)).toMatchObject({ used_bytes: 9000, files: 1 });

    // Deleting gives the room back.
    expect(
      (await fetch(`${app.url}/api/files/a.md`, { method: 'DELETE', headers: auth(alice) })).status,
    ).toBe(200);
    expect(await usage(alice)).toMatchObject({ used_bytes: 0, files: 0 });
    expect((await upload(alice, 'b.md', big)).status).toBe(200);
  });

  it('refuses the document beyond USER_MAX_FILES', async () => {
    const carol = await app.signUp();
    for (const name of ['1.md', '2.md', '3.md'])
      expect((await upload(carol, name, doc(`file ${name}`, 300))).status).toBe(200);
    expect(await upload(carol, '4.md', doc('one more', 300))).toEqual({
      status: 413,
      body: { filename: '4.md', status: 'error', message: QuotaMessages.files(3) },
    });
    expect(await listed(carol)).toHaveLength(3);
  });

  it('tells the same through tRPC files.usage and both clients', async () => {
    const trpc = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => bob.token,
      EventSource,
    });
    const rest = createRestClient({ baseUrl: `${app.url}/api`, getToken: () => bob.token });
    const expected = { used_bytes: 5000, files: 1, quota_bytes: QUOTA_BYTES, max_files: 3 };
    expect(await trpc.files.usage.query()).toMatchObject(expected);
    expect(await rest.files.usage()).toMatchObject(expected);
    expect(await (await app.caller(bob.token)).files.usage()).toMatchObject(expected);
  });
});
