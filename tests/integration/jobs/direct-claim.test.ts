import { describe, expect, it } from 'vitest';

import { jobEvent, type JobStore } from '@rag/core/testing';

import { paragraphs, txtJob } from '../../support/fixtures';
import { testApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

/**
 * A signed-up user on an app whose runner is idle after its start-up claim. A long lease keeps the
 * periodic sweep (lease / 3), which claims too, out of the tests' counts.
 */
async function idleApp() {
  const d = await testApp({ gateway: false, env: { JOB_LEASE_S: '3600' } });
  const user = await d.signUp();
  const api = await d.caller(user.token);
  await waitUntil(() => d.deps.jobRunner.running === 0, 'the start-up claim');
  return { d, user, api };
}

describe('an upload taken by an idle runner as it is enqueued (issue 17 item 6)', () => {
  it('is inserted claimed only when no older job is queued', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop(); // nothing else claims here
    const user = await d.signUp();
    const claim = { workerId: 'direct-worker', leaseSeconds: 30 };
    const first = await d.deps.jobs.enqueue(txtJob(user.userId, 'a.txt'), claim);
    expect(first).toMatchObject({ status: 'running', stage: 'uploaded', attempts: 1 });
    // Held by that worker: its stage writes are accepted, another worker's are not; the holder's
    // show on the file row too (its status route), written in the same statement.
    const write = (worker: string, p: Parameters<JobStore['progress']>[2]) =>
      d.deps.jobs.progress(first.id, worker, p);
    const fileRow = () => d.deps.files.get(user.userId, first.fileId);
    expect(await write('other-worker', { stage: 'parsed', pageCount: 9 })).toBe(false);
    expect(await fileRow()).toMatchObject({ stage: 'stored', pageCount: null });
    expect(await write(claim.workerId, { stage: 'parsed', pageCount: 3 })).toBe(true);
    expect(await fileRow()).toMatchObject({ stage: 'parsed', pageCount: 3, chunksCount: 0 });
    expect(await write(claim.workerId, { stage: 'embedded', chunksCount: 4 })).toBe(true);
    const shown = { stage: 'embedded', pageCount: 3, chunksCount: 4 };
    expect(await fileRow()).toMatchObject(shown);
    expect(await d.deps.jobs.get(user.userId, first.id)).toMatchObject(shown);
    // Queued work goes first: a new job behind it stays queued, unclaimed.
    const queued = await d.deps.jobs.enqueue(txtJob(user.userId, 'b.txt'));
    const behind = await d.deps.jobs.enqueue(txtJob(user.userId, 'c.txt'), claim);
    expect(queued.status).toBe('queued');
    expect(behind).toMatchObject({ status: 'queued', attempts: 0 });
    const claimed = await d.deps.jobs.claim('next-worker', 5, 30);
    expect(claimed.map((j) => j.id)).toEqual([queued.id, behind.id]);
  });

  it('claims a batch in one step: the oldest job, and small ones after it only when it is small', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop(); // nothing else claims here
    const user = await d.signUp();
    const job = (name: string, size: number) =>
      d.deps.jobs.enqueue({ ...txtJob(user.userId, name), size });
    const big = await job('big.txt', 5_000);
    const small = await job('small.txt', 10);
    const large = await job('large.txt', 5_000);
    const tiny = await job('tiny.txt', 10);
    const claim = () => d.deps.jobs.claim('w', 10, 30, { batchBytes: 100 });
    // The oldest is big: it goes alone, however many small ones wait behind it.
    expect((await claim()).map((j) => j.id)).toEqual([big.id]);
    // The oldest is small: the small ones come along, oldest first, and the big one between stays.
    expect((await claim()).map((j) => j.id)).toEqual([small.id, tiny.id]);
    expect((await claim()).map((j) => j.id)).toEqual([large.id]);
    expect(await claim()).toEqual([]);
  });

  it('sends no claim for uploads one after another (none when a slot ends on an empty queue) and reads no job row', async () => {
    const { d, user, api } = await idleApp();
    const jobs = d.deps.jobs;
    const claim = jobs.claim.bind(jobs);
    const get = jobs.get.bind(jobs);
    let claims = 0;
    let reads = 0;
    jobs.claim = (...args) => {
      claims++;
      return claim(...args);
    };
    // The synchronous upload listens before submitting, and the final event of this process's runner
    // carries the finished job: its row is never read.
    jobs.get = (userId, jobId) => {
      reads++;
      return get(userId, jobId);
    };
    for (const name of ['one.txt', 'two.txt']) {
      const form = new FormData();
      form.append('file', new File([paragraphs(`direct ${name}`, 5)], name));
      const startedAt = performance.now();
      const r = await api.files.upload(form);
      // A row read is only the lost-notification recheck (every 2 s), which a slow machine may reach;
      // reading up front (the old way) or at the final event happened on every upload.
      if (performance.now() - startedAt < 1_900) expect(reads).toBe(0);
      reads = 0;
      await waitUntil(() => d.deps.jobRunner.running === 0, 'the slot to end');
      // What the event carried is what the rows say.
      expect(r.chunks_count).toBeGreaterThan(0);
      expect(await d.deps.files.get(user.userId, r.file_id)).toMatchObject({
        filename: name,
        status: 'indexed',
        chunksCount: r.chunks_count,
      });
    }
    // A refused document answers from its final event too, with the job's code and reason.
    const empty = new FormData();
    empty.append('file', new File(['   \n\n  '], 'blank.txt'));
    const startedAt = performance.now();
    await expect(api.files.upload(empty)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    if (performance.now() - startedAt < 1_900) expect(reads).toBe(0);
    await waitUntil(() => d.deps.jobRunner.running === 0, 'the slot to end');
    expect(claims).toBe(0);
    const list = await api.files.list();
    expect(list.files.map((f) => f.filename).sort()).toEqual(['one.txt', 'two.txt']);
    // Another gateway's `uploaded` event (a job queued elsewhere) still wakes the runner.
    const queued = await d.deps.jobs.enqueue(txtJob(user.userId, 'queued.txt'));
    await d.deps.progress.publish(user.userId, jobEvent(queued));
    await waitUntil(() => claims > 0, 'a claim after an uploaded event');
  });

  it("reads a small upload while its row is written, and drops that read when the job is not the runner's", async () => {
    const { d, user, api } = await idleApp();
    const { jobs, ingestPool } = d.deps;
    const enqueue = jobs.enqueue.bind(jobs);
    const readWhole = ingestPool.readWhole.bind(ingestPool);
    // Whether each read started before the enqueue of its job returned.
    const enqueued = new Set<string>();
    let beforeEnqueue: (() => Promise<unknown>) | null = null;
    const reads: { path: string; duringEnqueue: boolean }[] = [];
    jobs.enqueue = async (job, ...rest) => {
      await beforeEnqueue?.();
      const row = await enqueue(job, ...rest);
      enqueued.add(job.storageKey);
      return row;
    };
    ingestPool.readWhole = (path, ...rest) => {
      const key = [...enqueued].some((k) => path.endsWith(k.split('/').pop() ?? k));
      reads.push({ path, duringEnqueue: !key });
      return readWhole(path, ...rest);
    };
    const upload = (name: string, text: string) => {
      const form = new FormData();
      form.append('file', new File([text], name));
      return api.files.upload(form);
    };
    const found = async (text: string) =>
      (
        await d.deps.vectorIndex.search({
          userId: user.userId,
          text,
          mode: 'keyword',
          limit: 5,
          alpha: 0,
        })
      ).map((h) => h.chunk.filename);

    // Taken as it is written: its one read starts before the row is in.
    const first = await upload('ahead.txt', paragraphs('quasar lighthouse', 4));
    expect(first.chunks_count).toBeGreaterThan(0);
    expect(reads).toEqual([expect.objectContaining({ duringEnqueue: true })]);
    expect(await found('quasar lighthouse')).toContain('ahead.txt');

    // An older job is queued when this one is written: it stays queued, and the read started for it is
    // not used (the job is read again when it is claimed, after the older one).
    reads.length = 0;
    await waitUntil(() => d.deps.jobRunner.running === 0, 'the slot to end');
    beforeEnqueue = async () => {
      beforeEnqueue = null;
      const older = await enqueue({ ...txtJob(user.userId, 'older.txt'), size: 5_000_000 });
      expect(older.status).toBe('queued');
    };
    const second = api.files.upload(
      (() => {
        const form = new FormData();
        form.append('file', new File([paragraphs('walrus orchard', 4)], 'behind.txt'));
        return form;
      })(),
    );
    // The older job has no stored bytes: it fails, and the upload behind it then runs.
    const r = await second;
    expect(r.filename).toBe('behind.txt');
    expect(reads.filter((x) => x.path.includes(r.file_id))).toEqual([
      expect.objectContaining({ duringEnqueue: true }),
      expect.objectContaining({ duringEnqueue: false }),
    ]);
    expect(await found('walrus orchard')).toContain('behind.txt');
  });

  it('claims again after a failed claim when a slot frees (the queue is not taken for empty)', async () => {
    const { d, user } = await idleApp();
    const jobs = d.deps.jobs;
    const claim = jobs.claim.bind(jobs);
    let failNext = true;
    jobs.claim = (...args) => {
      if (!failNext) return claim(...args);
      failNext = false;
      return Promise.reject(new Error('database blip'));
    };
    const queued = await jobs.enqueue(txtJob(user.userId, 'after-blip.txt'));
    d.deps.jobRunner.kick(); // this claim fails
    await waitUntil(() => !failNext, 'the failed claim');
    // A slot freed with no kick and no event: only "the queue may hold work" makes the runner claim.
    const slot = await waitUntil(() => d.deps.jobRunner.reserve(), 'the failed claim to end');
    slot.cancel();
    await waitUntil(
      async () => (await jobs.get(user.userId, queued.id))?.status !== 'queued',
      'the queued job claimed',
    );
  });

  it('takes an upload while a claim is in flight, without waiting for that claim', async () => {
    const { d, user, api } = await idleApp();
    const jobs = d.deps.jobs;
    const claim = jobs.claim.bind(jobs);
    // The claim a slot sends when it ends, held in flight until the upload below has been answered.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const claimed: string[] = [];
    let inFlight = 0;
    jobs.claim = async (...args) => {
      inFlight++;
      await gate;
      const got = await claim(...args);
      claimed.push(...got.map((j) => j.id));
      inFlight--;
      return got;
    };
    d.deps.jobRunner.kick();
    await waitUntil(() => inFlight === 1, 'a claim in flight');
    const form = new FormData();
    form.append('file', new File([paragraphs('claim in flight', 5)], 'during-claim.txt'));
    const r = await api.files.upload(form);
    expect(r.chunks_count).toBeGreaterThan(0);
    expect(inFlight).toBe(1); // answered while the claim still waited
    open();
    await waitUntil(() => inFlight === 0 && d.deps.jobRunner.running === 0, 'the claim to end');
    // The upload's job was inserted taken by this runner: the claim found nothing to take.
    expect(claimed).toEqual([]);
    expect(await d.deps.files.get(user.userId, r.file_id)).toMatchObject({ status: 'indexed' });
  });
});
