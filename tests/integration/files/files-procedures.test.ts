import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  reconcileIngestion,
  schema,
  uploadSpoolDir,
  type Deps,
  type IngestProgress,
} from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';
import { callerFor, createTestDeps } from '../../support/harness';
import { appErrorOf, signUpUser, type TestUser } from '../../support/users';

let deps: Deps;
let alice: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  deps = await createTestDeps();
  alice = await signUpUser(deps);
  mallory = await signUpUser(deps);
});
afterAll(async () => deps?.close());

function form(name: string, content: string, fields: Record<string, string> = {}) {
  const f = new FormData();
  f.append('file', new File([content], name));
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

describe('files procedures', () => {
  it('uploads a FormData through files.upload and lists it', async () => {
    const api = await callerFor(deps, alice.token);
    const res = await api.files.upload(
      form('plan.md', `# Plan\n\n${paragraphs('budget', 3)}`, { category: 'work' }),
    );
    expect(res).toMatchObject({ filename: 'plan.md', status: 'success', category: 'work' });
    const list = await api.files.list();
    expect(list.files.map((f) => f.id)).toContain(res.file_id);
    expect(await api.files.status({ file_id: res.file_id })).toMatchObject({
      status: 'indexed',
      stage: 'indexed',
      chunks_count: res.chunks_count,
    });
  });

  it('a second user can never list, delete, filter-delete or reset the first user’s data', async () => {
    const owner = await callerFor(deps, alice.token);
    const intruder = await callerFor(deps, mallory.token);
    const doc = await owner.files.upload(form('private.txt', paragraphs('secrets', 4)));
    const count = await deps.vectorIndex.count(alice.userId);

    expect((await intruder.files.list()).files).toEqual([]);
    for (const target of ['private.txt', doc.file_id]) {
      const err = await appErrorOf(intruder.files.delete({ filename: target }));
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toBe(`File ${target} không tồn tại`);
    }
    expect((await appErrorOf(intruder.files.status({ file_id: doc.file_id }))).code).toBe(
      'NOT_FOUND',
    );
    const filtered = await intruder.files.deleteByFilter({
      filter: { must: [{ key: 'file_id', match: { value: doc.file_id } }] },
    });
    expect(filtered.message).toBe('Đã xóa 0 điểm dữ liệu thành công.');
    const broad = await intruder.files.deleteByFilter({
      filter: { must_not: [{ key: 'category', match: { value: 'none' } }] },
    });
    expect(broad.message).toBe('Đã xóa 0 điểm dữ liệu thành công.');
    await intruder.files.resetCollection();

    expect(await deps.vectorIndex.count(alice.userId)).toBe(count);
    expect((await owner.files.list()).files.map((f) => f.id)).toContain(doc.file_id);
  });

  it('requires authentication', async () => {
    const anon = await callerFor(deps, null);
    expect((await appErrorOf(anon.files.list())).code).toBe('UNAUTHORIZED');
    expect((await appErrorOf(anon.files.upload(form('a.txt', 'x')))).code).toBe('UNAUTHORIZED');
  });

  it('handles concurrent uploads by several users', async () => {
    const users = [alice, mallory, await signUpUser(deps)];
    const results = await Promise.all(
      users.flatMap((u, i) =>
        [0, 1].map(async (j) => {
          const api = await callerFor(deps, u.token);
          return {
            u,
            res: await api.files.upload(
              form(`concurrent-${i}-${j}.txt`, paragraphs(`topic ${i} ${j}`, 5)),
            ),
          };
        }),
      ),
    );
    for (const { u, res } of results) {
      expect(await deps.vectorIndex.count(u.userId, { fileIds: [res.file_id] })).toBe(
        res.chunks_count,
      );
      const hits = await deps.vectorIndex.search({
        userId: u.userId,
        mode: 'keyword',
        text: res.filename,
        limit: 50,
        alpha: 0,
        filter: { fileIds: [res.file_id] },
      });
      expect(hits.every((h) => h.chunk.userId === u.userId)).toBe(true);
    }
  });

  it('concurrent identical uploads index once', async () => {
    const api = await callerFor(deps, alice.token);
    const content = paragraphs('identical twins', 3);
    const [a, b] = await Promise.all([
      api.files.upload(form('twin-a.txt', content)),
      api.files.upload(form('twin-b.txt', content)),
    ]);
    expect(a.file_id).toBe(b.file_id);
    expect(await deps.vectorIndex.count(alice.userId, { fileIds: [a.file_id] })).toBe(
      a.chunks_count,
    );
  });

  it('reports progress stages for an upload id, and the failure reason', async () => {
    const api = await callerFor(deps, alice.token);
    const uploadId = randomUUID();
    const events: IngestProgress[] = [];
    const sub = await api.files.progress({ upload_id: uploadId });
    const collecting = (async () => {
      for await (const e of sub) if (e.stage !== 'ready') events.push(e);
    })();
    await api.files.upload(
      form('progress.txt', paragraphs('progress bars', 40), { upload_id: uploadId }),
    );
    await collecting;
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['uploaded', 'parsed', 'chunked', 'embedded', 'indexed']),
    );
    const last = events.at(-1);
    expect(last?.stage).toBe('indexed');
    expect(last && 'chunks' in last && typeof last.chunks).toBe('number');

    const failId = randomUUID();
    const failed: IngestProgress[] = [];
    const sub2 = await api.files.progress({ upload_id: failId });
    const collecting2 = (async () => {
      for await (const e of sub2) if (e.stage !== 'ready') failed.push(e);
    })();
    await appErrorOf(api.files.upload(form('bad.zip', 'zip', { upload_id: failId })));
    await collecting2;
    expect(failed.at(-1)).toMatchObject({
      stage: 'failed',
      reason: 'Không hỗ trợ định dạng file .zip',
    });
  });
});

describe('start-up reconciliation', () => {
  it('removes what a crash mid-ingest left: unfinished rows, their chunks, orphan chunks and blobs', async () => {
    const api = await callerFor(deps, alice.token);
    const kept = await api.files.upload(form('kept.txt', paragraphs('kept', 2)));
    const crashed = await api.files.upload(form('crashed.txt', paragraphs('crashed', 2)));
    const orphan = await api.files.upload(form('orphan.txt', paragraphs('orphan', 2)));
    // A crash mid-ingest: the row never reached `indexed`. Another left chunks but lost its row.
    await deps.db
      .update(schema.files)
      .set({ status: 'processing', stage: 'embedded' })
      .where(eq(schema.files.id, crashed.file_id));
    await deps.db.delete(schema.files).where(eq(schema.files.id, orphan.file_id));
    await writeFile(deps.blobs.path(`${alice.userId}/.upload-deadbeef`), 'partial');
    await mkdir(uploadSpoolDir(deps.dataDir), { recursive: true });
    await writeFile(join(uploadSpoolDir(deps.dataDir), 'upload-cafe'), 'spooled');

    const report = await reconcileIngestion(deps);
    expect(report.removedFiles).toBe(1);
    expect(report.removedChunks).toBe(crashed.chunks_count + orphan.chunks_count);
    expect(report.removedBlobs).toBe(3);
    expect(await readdir(uploadSpoolDir(deps.dataDir))).toEqual([]);
    expect(
      await deps.vectorIndex.count(alice.userId, { fileIds: [crashed.file_id, orphan.file_id] }),
    ).toBe(0);
    expect(await deps.vectorIndex.count(alice.userId, { fileIds: [kept.file_id] })).toBe(
      kept.chunks_count,
    );
    const keys = await deps.blobs.list();
    expect(
      keys.some(
        (k) => k.includes(crashed.file_id) || k.includes(orphan.file_id) || k.includes('.upload-'),
      ),
    ).toBe(false);
  });
});
