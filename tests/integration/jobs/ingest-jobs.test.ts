import { randomUUID } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import { createHashingEmbedder, type Embedder, type IngestProgress } from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';
import { testApp, useTestApp } from '../../support/test-app';
import { appErrorOf, type TestUser } from '../../support/users';
import { waitUntil } from '../../support/wait';

const app = useTestApp({ gateway: false });
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
  bob = await app.signUp();
});

const form = (name: string, content: string, fields: Record<string, string> = {}) => {
  const f = new FormData();
  f.append('file', new File([content], name));
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe('ingestion jobs (embedded database)', () => {
  it('runs parsing and embedding in the worker pool', async () => {
    const { ingestPool } = app.deps;
    expect(ingestPool.size).toBeGreaterThan(0);
    const before = ingestPool.tasksCompleted();
    const api = await app.caller(alice.token);
    await api.files.upload(form('pool.txt', paragraphs('worker threads', 30)));
    // The job's task (parse + embeddings) ran in a worker thread; it ends just after the job.
    await waitUntil(() => ingestPool.tasksCompleted() > before, 'a task done in the worker pool');
  });

  it('async upload answers at once with file and job ids; status and progress follow the job', async () => {
    const carol = await app.signUp();
    const api = await app.caller(carol.token);
    expect(await api.indexing.status()).toMatchObject({
      status: 'idle',
      processed_files: 0,
      message: 'Chưa có tài liệu nào được xử lý',
    });
    const accepted = await api.files.uploadAsync(
      form('async.md', `# Async\n\n${paragraphs('queues', 20)}`),
    );
    expect(accepted).toMatchObject({
      status: 'processing',
      filename: 'async.md',
      stage: 'uploaded',
    });
    expect(accepted.file_id).toMatch(/^[0-9a-f-]{36}$/);

    const events: IngestProgress[] = [];
    for await (const e of await api.files.progress({ file_id: accepted.file_id! })) {
      if (e.stage !== 'ready') events.push(e);
    }
    expect(events.at(-1)).toMatchObject({
      stage: 'indexed',
      fileId: accepted.file_id,
      jobId: accepted.job_id,
    });
    expect(events.every((e) => e.jobId === accepted.job_id)).toBe(true);

    const status = await api.indexing.status();
    expect(status).toMatchObject({ status: 'completed', processed_files: 1, pending_files: 0 });
    expect(status.message).toContain('async.md');

    // A finished job answers its final event at once, then the stream ends.
    const again: string[] = [];
    for await (const e of await api.files.progress({ job_id: accepted.job_id }))
      again.push(e.stage);
    expect(again).toEqual(['ready', 'indexed']);

    const files = await api.files.list();
    expect(files.files.map((f) => f.id)).toEqual([accepted.file_id]);
  });

  it('status says error with the file and the reason when the last job failed', async () => {
    const dave = await app.signUp();
    const api = await app.caller(dave.token);
    const bad = await appErrorOf(api.files.upload(form('empty.txt', '   \n\n  ')));
    expect(bad.code).toBe('BAD_REQUEST');
    const status = await api.indexing.status();
    expect(status.status).toBe('error');
    expect(status.message).toBe(`Lỗi khi xử lý tài liệu empty.txt: ${bad.message}`);
    expect(status.last_error).toEqual({ filename: 'empty.txt', message: bad.message });
    expect(status.processed_files).toBe(0);
    expect(status.failed_files).toBe(1);
    // Nothing is left behind by the failed job.
    expect((await api.files.list()).total_files).toBe(0);
  });

  it("never shows one user's jobs to another", async () => {
    const a = await app.caller(alice.token);
    const b = await app.caller(bob.token);
    const accepted = await a.files.uploadAsync(form('secret.txt', paragraphs('secret plans', 5)));
    expect((await appErrorOf(b.files.progress({ file_id: accepted.file_id! }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await appErrorOf(b.files.progress({ job_id: accepted.job_id }))).code).toBe(
      'NOT_FOUND',
    );
    // By upload id another user only ever sees their own uploads: alice's events never reach bob.
    const uploadId = randomUUID();
    const bobSees: IngestProgress[] = [];
    const controller = new AbortController();
    const bobStream = (await app.caller(bob.token)).files.progress({ upload_id: uploadId });
    const reading = (async () => {
      for await (const e of await bobStream) {
        if (e.stage !== 'ready') bobSees.push(e);
        if (controller.signal.aborted) break;
      }
    })();
    await a.files.upload(form('mine.txt', paragraphs('my own', 3), { upload_id: uploadId }));
    expect((await b.indexing.status()).status).toBe('idle');
    await waitUntil(
      async () => (await a.indexing.status()).status === 'completed',
      "alice's upload to complete",
    );
    controller.abort();
    // Bob's own upload with the same upload id ends his stream; alice's events never appeared in it.
    await b.files.upload(form('bobs.txt', paragraphs('bob things', 3), { upload_id: uploadId }));
    await reading;
    expect(bobSees.length).toBeGreaterThan(0);
    expect(bobSees.every((e) => e.filename === 'bobs.txt')).toBe(true);
  });
});

/** An embedder that stalls on its second call until aborted: the process "dies" mid-job there. */
function stallingEmbedder(): Embedder & { stalled: Promise<void> } {
  const inner = createHashingEmbedder(768);
  let calls = 0;
  let stalled: () => void = () => undefined;
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    fusionWeight: inner.fusionWeight,
    stalled: new Promise<void>((r) => (stalled = r)),
    embed(texts, opts) {
      if (opts?.kind === 'query' || ++calls < 2) return inner.embed(texts, opts);
      stalled();
      return new Promise((_, reject) =>
        opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    },
  };
}

describe('a crash mid-job', () => {
  it('is resumed at restart: the job is retried from a clean state and indexes exactly once', async () => {
    const stalling = stallingEmbedder();
    const first = await testApp({ gateway: false, overrides: { embedder: stalling } });
    const user = await first.signUp();
    const api = await first.caller(user.token);
    // More than one write batch (512 chunks): the first is indexed, the second stalls.
    const text = paragraphs('restart recovery', 8000);
    const accepted = await api.files.uploadAsync(form('big.txt', text));
    await stalling.stalled;
    const midway = await first.deps.jobs.get(user.userId, accepted.job_id);
    expect(midway).toMatchObject({ status: 'running', attempts: 1 });
    expect(
      await first.deps.vectorIndex.count(user.userId, { fileIds: [accepted.file_id!] }),
    ).toBeGreaterThan(0);

    // The crash: the first process stops dead, its job left running with a partial index.
    await first.deps.jobRunner.stop({ abandon: true });
    // The restart: a new composition root on the same database recovers the job.
    const second = await testApp({
      gateway: false,
      env: { DATA_DIR: first.deps.dataDir },
      overrides: { database: first.deps.database },
    });
    const done = await waitUntil(async () => {
      const job = await second.deps.jobs.get(user.userId, accepted.job_id);
      return job?.status === 'done' && job;
    }, 'the recovered job to finish');
    expect(done).toMatchObject({ attempts: 2, stage: 'indexed', resultFileId: accepted.file_id });
    const chunks = await second.deps.vectorIndex.count(user.userId, {
      fileIds: [accepted.file_id!],
    });
    expect(chunks).toBe(done.chunksCount);
    const api2 = await second.caller(user.token);
    expect((await api2.files.list()).files.map((f) => f.id)).toEqual([accepted.file_id]);
    expect(await api2.indexing.status()).toMatchObject({
      status: 'completed',
      processed_files: 1,
    });
    expect(chunks).toBeGreaterThan(512);
  });

  it('fails a job interrupted on every attempt, leaving nothing behind', async () => {
    const stalling = stallingEmbedder();
    const d = await testApp({
      gateway: false,
      env: { JOB_MAX_ATTEMPTS: '1' },
      overrides: { embedder: stalling },
    });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    const accepted = await api.files.uploadAsync(form('doomed.txt', paragraphs('doomed', 8000)));
    await stalling.stalled;
    await d.deps.jobRunner.stop({ abandon: true });
    const restarted = await testApp({
      gateway: false,
      env: { JOB_MAX_ATTEMPTS: '1', DATA_DIR: d.deps.dataDir },
      overrides: { database: d.deps.database },
    });
    const job = await restarted.deps.jobs.get(user.userId, accepted.job_id);
    expect(job).toMatchObject({ status: 'failed', stage: 'failed' });
    expect(job?.reason).toMatch(/gián đoạn/);
    expect(await restarted.deps.vectorIndex.count(user.userId)).toBe(0);
    const status = await (await restarted.caller(user.token)).indexing.status();
    expect(status.status).toBe('error');
  });
});

describe('a file deleted while its job is still queued', () => {
  it('is deleted at once; the job then fails as deleted, not as a server error', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let holding: () => void = () => undefined;
    const held = new Promise<void>((r) => (holding = r));
    const inner = createHashingEmbedder(768);
    // Holds the first job in its slot, so the second one waits in the queue.
    const gated: Embedder = {
      id: inner.id,
      dimensions: inner.dimensions,
      fusionWeight: inner.fusionWeight,
      async embed(texts, opts) {
        if (opts?.kind !== 'query') {
          holding();
          await gate;
        }
        return inner.embed(texts, opts);
      },
    };
    const d = await testApp({
      gateway: false,
      env: { INGEST_CONCURRENCY: '1' },
      overrides: { embedder: gated },
    });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    await api.files.uploadAsync(form('first.txt', paragraphs('first in line', 5)));
    await held;
    const second = await api.files.uploadAsync(form('second.txt', paragraphs('second in line', 5)));
    expect(await d.deps.jobs.get(user.userId, second.job_id)).toMatchObject({ status: 'queued' });
    const fileId = second.file_id ?? '';
    expect(fileId).not.toBe('');
    expect(await api.files.delete({ filename: fileId })).toMatchObject({
      status: 'success',
    });
    open();
    const job = await waitUntil(async () => {
      const j = await d.deps.jobs.get(user.userId, second.job_id);
      return j?.status === 'failed' ? j : null;
    }, 'the queued job to fail');
    expect(job.reason).toBe('Tài liệu đã bị xóa trong khi đang được xử lý');
    expect(await d.deps.vectorIndex.count(user.userId, { fileIds: [fileId] })).toBe(0);
    expect((await api.files.list()).files.map((f) => f.filename)).toEqual(['first.txt']);
  });
});
