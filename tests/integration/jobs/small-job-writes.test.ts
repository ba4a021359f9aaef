import { describe, expect, it } from 'vitest';

import { paragraphs, txtJob } from '../../support/fixtures';
import { testApp } from '../../support/test-app';
import { appErrorOf } from '../../support/users';

const form = (name: string, content: string) => {
  const f = new FormData();
  f.append('file', new File([content], name));
  return f;
};

/** Uploads `content` expecting a refusal; returns how many chunk deletions the index was asked for. */
async function refusedDeletes(content: string): Promise<number> {
  const d = await testApp({ gateway: false });
  const user = await d.signUp();
  const api = await d.caller(user.token);
  const index = d.deps.vectorIndex;
  const deleteByFile = index.deleteByFile.bind(index);
  let deletes = 0;
  index.deleteByFile = (userId, fileId) => {
    deletes++;
    return deleteByFile(userId, fileId);
  };
  const bad = await appErrorOf(api.files.upload(form('blank.txt', content)));
  expect(bad.code).toBe('BAD_REQUEST');
  expect((await api.files.list()).total_files).toBe(0);
  expect(await index.count(user.userId)).toBe(0);
  return deletes;
}

// The statements a small upload (read whole in one pool task) sends besides its chunk write and commit.
describe('a small upload', () => {
  it('writes no stage to its job row: the row goes from running to indexed', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const jobs = d.deps.jobs;
    const progress = jobs.progress.bind(jobs);
    const stages: string[] = [];
    jobs.progress = (jobId, workerId, p) => {
      stages.push(p.stage);
      return progress(jobId, workerId, p);
    };
    const r = await api.files.upload(form('small.txt', paragraphs('stage writes', 5)));
    expect(stages).toEqual([]);
    expect(r.chunks_count).toBeGreaterThan(0);
    expect(await d.deps.vectorIndex.count(user.userId, { fileIds: [r.file_id] })).toBe(
      r.chunks_count,
    );
    expect((await api.files.list()).files.map((f) => f.filename)).toEqual(['small.txt']);
  });

  it('refused before any chunk was written deletes none (there are none); nothing is left', async () => {
    expect(await refusedDeletes('   \n\n  ')).toBe(0);
  });

  it('refused before any chunk was written: claim check, its bytes, then file row and job in one statement', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const jobs = d.deps.jobs;
    const calls: string[] = [];
    let failedJob = '';
    for (const name of ['progress', 'fail', 'failDiscardingFile'] as const) {
      const original = jobs[name].bind(jobs) as (...a: unknown[]) => Promise<boolean>;
      (jobs as Record<typeof name, unknown>)[name] = (...a: unknown[]) => {
        calls.push(name);
        failedJob = String(a[0]);
        return original(...a);
      };
    }
    const files = d.deps.files;
    const fileDelete = files.delete.bind(files);
    files.delete = (userId, fileId) => {
      calls.push('files.delete');
      return fileDelete(userId, fileId);
    };
    // The bytes go while the row still says running: an upload answering on a failed row (its event
    // or a recheck of the row) finds nothing left.
    const blobs = d.deps.blobs;
    const blobDelete = blobs.delete.bind(blobs);
    blobs.delete = async (key) => {
      calls.push(`blobs.delete while ${(await jobs.get(user.userId, failedJob))?.status}`);
      return blobDelete(key);
    };
    const bad = await appErrorOf(api.files.upload(form('blank.txt', '   \n\n  ')));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(calls).toEqual(['progress', 'blobs.delete while running', 'failDiscardingFile']);
    expect((await api.files.list()).total_files).toBe(0);
    expect(await d.deps.blobs.list()).toEqual([]); // the stored bytes went too
    expect(await jobs.get(user.userId, failedJob)).toMatchObject({
      status: 'failed',
      stage: 'failed',
      errorCode: 'BAD_REQUEST',
    });

    // Not the holder's: nothing changes, the file row stays for the worker that holds the job.
    const claim = { workerId: 'holder', leaseSeconds: 30 };
    const held = await jobs.enqueue(txtJob(user.userId, 'held.txt'), claim);
    const failure = { code: 'BAD_REQUEST', reason: 'x' };
    expect(await jobs.failDiscardingFile(held.id, 'someone-else', failure)).toBe(false);
    expect(await d.deps.files.get(user.userId, held.fileId)).toMatchObject({
      status: 'processing',
    });
    expect(await jobs.get(user.userId, held.id)).toMatchObject({ status: 'running' });
    expect(await jobs.failDiscardingFile(held.id, 'holder', failure)).toBe(true);
    expect(await d.deps.files.get(user.userId, held.fileId)).toBeNull();
    expect(await jobs.get(user.userId, held.id)).toMatchObject({
      status: 'failed',
      errorCode: 'BAD_REQUEST',
      reason: 'x',
    });
  });

  it('whose file row was deleted after its chunks were written fails and leaves no chunk', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const index = d.deps.vectorIndex;
    const upsert = index.upsert.bind(index);
    let fileId: string | null = null;
    index.upsert = async (userId, records, claim) => {
      await upsert(userId, records, claim);
      fileId = records[0]?.fileId ?? null;
      // What a concurrent delete of the file does to the row while the job still runs.
      if (fileId) await d.deps.files.delete(userId, fileId);
    };
    const err = await appErrorOf(
      api.files.upload(form('gone.txt', paragraphs('deleted meanwhile', 5))),
    );
    expect(err.code).toBe('CONFLICT');
    expect(fileId).not.toBeNull();
    expect(await index.count(user.userId)).toBe(0);
  });
});

// A large upload (streamed from the pool batch by batch) has chunks to delete only once a batch was cut.
describe('a large upload', () => {
  const large = (topic: string) => paragraphs(topic, 3_000); // ≈ 370 KB, above the small-file size

  it('refused before any batch was cut deletes no chunks; nothing is left', async () => {
    expect(await refusedDeletes(' \n'.repeat(200_000))).toBe(0);
  });

  it('failing after its first batch was written leaves no chunk', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const index = d.deps.vectorIndex;
    const upsert = index.upsert.bind(index);
    let writes = 0;
    index.upsert = async (userId, records, claim) => {
      if (++writes === 2) throw new Error('disk full');
      await upsert(userId, records, claim);
    };
    const err = await appErrorOf(api.files.upload(form('big.txt', large('streamed batches'))));
    expect(err.code).toBe('INTERNAL');
    expect(writes).toBe(2);
    expect(await index.count(user.userId)).toBe(0);
    expect((await api.files.list()).total_files).toBe(0);
    // The next upload is served (the pool and the runner are free again).
    const ok = await api.files.upload(form('after.txt', paragraphs('after the failure', 5)));
    expect(ok.chunks_count).toBeGreaterThan(0);
  });

  it('deleted by its user while it is indexed: the delete succeeds, the job fails, nothing is left', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const index = d.deps.vectorIndex;
    const upsert = index.upsert.bind(index);
    let deleted: Awaited<ReturnType<typeof api.files.delete>> | null = null;
    let storageKey = '';
    index.upsert = async (userId, records, claim) => {
      await upsert(userId, records, claim);
      const fileId = records[0]?.fileId;
      if (deleted || !fileId) return;
      storageKey = (await d.deps.files.get(userId, fileId))?.storageKey ?? '';
      expect(await d.deps.files.get(userId, fileId)).toMatchObject({ status: 'processing' });
      // By id, as the REST route and the web app do, between two of the job's batches.
      deleted = await api.files.delete({ filename: fileId });
    };
    const err = await appErrorOf(api.files.upload(form('big.txt', large('deleted meanwhile'))));
    expect(deleted).toMatchObject({ status: 'success' });
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'Tài liệu đã bị xóa trong khi đang được xử lý',
    });
    expect(await index.count(user.userId)).toBe(0);
    expect((await api.files.list()).total_files).toBe(0);
    expect(storageKey).not.toBe('');
    expect(await d.deps.blobs.list()).not.toContain(storageKey);
  });
});
