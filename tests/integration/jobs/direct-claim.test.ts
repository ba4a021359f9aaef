import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { NewJob } from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';
import { testApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

const newJob = (userId: string, filename: string): NewJob => {
  const fileId = randomUUID();
  return {
    jobId: randomUUID(),
    userId,
    fileId,
    uploadId: null,
    filename,
    extension: 'txt',
    storageKey: `${userId}/${fileId}.txt`,
    category: null,
    size: 10,
    sha256: randomUUID(),
  };
};

describe('an upload taken by an idle runner as it is enqueued (issue 17 item 6)', () => {
  it('is inserted claimed only when no older job is queued', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop(); // nothing else claims here
    const user = await d.signUp();
    const claim = { workerId: 'direct-worker', leaseSeconds: 30 };
    const first = await d.deps.jobs.enqueue(newJob(user.userId, 'a.txt'), claim);
    expect(first).toMatchObject({ status: 'running', stage: 'uploaded', attempts: 1 });
    // Held by that worker: its stage writes are accepted, another worker's are not.
    expect(await d.deps.jobs.progress(first.id, 'other-worker', { stage: 'parsed' })).toBe(false);
    expect(await d.deps.jobs.progress(first.id, claim.workerId, { stage: 'parsed' })).toBe(true);
    // Queued work goes first: a new job behind it stays queued, unclaimed.
    const queued = await d.deps.jobs.enqueue(newJob(user.userId, 'b.txt'));
    const behind = await d.deps.jobs.enqueue(newJob(user.userId, 'c.txt'), claim);
    expect(queued.status).toBe('queued');
    expect(behind).toMatchObject({ status: 'queued', attempts: 0 });
    const claimed = await d.deps.jobs.claim('next-worker', 5, 30);
    expect(claimed.map((j) => j.id)).toEqual([queued.id, behind.id]);
  });

  it('sends no claim for uploads one after another (none when a slot ends on an empty queue) and reads each job row once', async () => {
    const d = await testApp({ gateway: false });
    const user = await d.signUp();
    const api = await d.caller(user.token);
    await waitUntil(() => d.deps.jobRunner.running === 0, 'the start-up claim');
    const jobs = d.deps.jobs;
    const claim = jobs.claim.bind(jobs);
    const get = jobs.get.bind(jobs);
    let claims = 0;
    let reads = 0;
    jobs.claim = (...args) => {
      claims++;
      return claim(...args);
    };
    // The synchronous upload listens before submitting: its job row is read once, when it ended.
    jobs.get = (...args) => {
      reads++;
      return get(...args);
    };
    for (const name of ['one.txt', 'two.txt']) {
      const form = new FormData();
      form.append('file', new File([paragraphs(`direct ${name}`, 5)], name));
      const r = await api.files.upload(form);
      await waitUntil(() => d.deps.jobRunner.running === 0, 'the slot to end');
      expect(r.filename).toBe(name);
    }
    expect(claims).toBe(0);
    expect(reads).toBe(2);
    const list = await api.files.list();
    expect(list.files.map((f) => f.filename).sort()).toEqual(['one.txt', 'two.txt']);
    // Any gateway's `uploaded` event still wakes the runner for queued work.
    await d.deps.jobs.enqueue(newJob(user.userId, 'queued.txt'));
    d.deps.jobRunner.kick();
    await waitUntil(() => claims > 0, 'a claim after a kick');
  });
});
