import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DiskMessages, type Deps } from '@rag/core';

import { uploadForm } from '../../support/fixtures';
import {
  callerFor,
  createTestDeps,
  startGateway,
  type RunningGateway,
} from '../../support/harness';
import { appErrorOf, signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let gw: RunningGateway;
let alice: TestUser;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  alice = await signUpUser(deps);
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
});

type Health = { status: string; services: Record<string, string> };
const health = async () => {
  const res = await fetch(`${gw.url}/health`);
  return { status: res.status, body: (await res.json()) as Health };
};
const upload = () =>
  fetch(`${gw.url}${deps.env.API_PREFIX}/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.token}` },
    body: uploadForm('note.txt', 'Nội dung của tài liệu.'),
  });

/**
 * Runs `body` with DATA_DIR replaced by a plain file: every write under it fails (ENOTDIR), as with a
 * vanished or remounted directory. (The tests run as root, so permissions cannot simulate it.)
 */
async function withBrokenDataDir(body: () => Promise<void>) {
  const aside = `${deps.dataDir}.aside`;
  renameSync(deps.dataDir, aside);
  writeFileSync(deps.dataDir, 'not a directory');
  try {
    await body();
  } finally {
    rmSync(deps.dataDir, { force: true });
    renameSync(aside, deps.dataDir);
  }
}

describe('disk faults (issue 10 item 17)', () => {
  it('/health reports storage; unhealthy while DATA_DIR cannot be written, healthy again after', async () => {
    const before = await health();
    expect(before.status).toBe(200);
    expect(before.body.services.storage).toBe('writable');
    await withBrokenDataDir(async () => {
      const during = await health();
      expect(during.status).toBe(503);
      expect(during.body.status).toBe('unhealthy');
      expect(during.body.services.storage).toBe('unwritable');
    });
    expect((await health()).status).toBe(200);
  });

  it('an upload while DATA_DIR cannot be written is a 503 that says so (REST and tRPC)', async () => {
    await withBrokenDataDir(async () => {
      const res = await upload();
      expect(res.status).toBe(503);
      const body = (await res.json()) as { detail: string };
      expect(body.detail).toBe(DiskMessages.unwritable);
      expect(JSON.stringify(body)).not.toMatch(/ENOTDIR|ENOENT|multipart|\/tmp/);

      const api = await callerFor(deps, alice.token);
      const err = await appErrorOf(api.files.upload(uploadForm('note.txt', 'Nội dung.')));
      expect(err.httpStatus).toBe(503);
      expect(err.message).toBe(DiskMessages.unwritable);
    });
    mkdirSync(deps.dataDir, { recursive: true });
    expect((await upload()).status).toBe(200);
  });

  it('below MIN_FREE_DISK_MB: /health says full and uploads get 507 before any byte is stored', async () => {
    // A floor no disk meets stands in for a full disk.
    const full = await createTestDeps({ MIN_FREE_DISK_MB: String(1024 ** 4) });
    const fullGw = await startGateway(full);
    try {
      const h = await fetch(`${fullGw.url}/health`);
      expect(h.status).toBe(503);
      expect(((await h.json()) as Health).services.storage).toBe('full');
      const user = await signUpUser(full);
      const res = await fetch(`${fullGw.url}${full.env.API_PREFIX}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}` },
        body: uploadForm('note.txt', 'Nội dung.'),
      });
      expect(res.status).toBe(507);
      expect(((await res.json()) as { detail: string }).detail).toBe(DiskMessages.full);
      const files = await fetch(`${fullGw.url}${full.env.API_PREFIX}/files`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(((await files.json()) as { files: unknown[] }).files).toEqual([]);
    } finally {
      await fullGw.close();
      await full.close();
    }
  });
});
