import { describe, expect, it } from 'vitest';

import type { NewJob } from '@rag/core/testing';

import { txtJob } from '../../support/fixtures';
import { testApp } from '../../support/test-app';

const worker = { workerId: 'commit-worker', leaseSeconds: 30 };
const commitOf = (j: NewJob, chunksCount = 3) => ({
  jobId: j.jobId,
  userId: j.userId,
  fileId: j.fileId,
  filename: j.filename,
  sha256: j.sha256,
  chunksCount,
  pageCount: null,
});

describe('one upload enqueued and committed in one statement each (issue 17 items 3 and 6)', () => {
  it('commits the file, replaces the older same-name file and finishes the job together', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop(); // nothing else claims here
    const user = await d.signUp();
    const { jobs, files } = d.deps;

    const older = txtJob(user.userId, 'report.txt');
    expect(await jobs.enqueue(older, worker)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await jobs.commitIndexed(worker.workerId, commitOf(older))).toEqual({
      kind: 'committed',
      replaced: [],
    });
    // Neither another user's file of that name nor one of the user's still in progress is replaced.
    const bob = await d.signUp();
    const bobs = txtJob(bob.userId, 'report.txt');
    await jobs.enqueue(bobs, worker);
    await jobs.commitIndexed(worker.workerId, commitOf(bobs));
    const inProgress = txtJob(user.userId, 'report.txt');
    await jobs.enqueue(inProgress, { ...worker, workerId: 'another-worker' });
    const newer = txtJob(user.userId, 'report.txt');
    await jobs.enqueue(newer, worker);
    expect(await jobs.commitIndexed(worker.workerId, commitOf(newer, 7))).toEqual({
      kind: 'committed',
      replaced: [{ fileId: older.fileId, storageKey: older.storageKey }],
    });
    expect(await jobs.get(user.userId, newer.jobId)).toMatchObject({
      status: 'done',
      stage: 'indexed',
      resultFileId: newer.fileId,
      chunksCount: 7,
      duplicate: false,
    });
    expect(await files.get(user.userId, newer.fileId)).toMatchObject({
      status: 'indexed',
      chunksCount: 7,
    });
    expect(await files.get(user.userId, older.fileId)).toBeNull();
    expect(await files.get(user.userId, inProgress.fileId)).toMatchObject({ status: 'processing' });
    expect(await files.get(bob.userId, bobs.fileId)).toMatchObject({ status: 'indexed' });
  });

  it('changes nothing for a worker that lost the job, or when the file row is gone', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop();
    const user = await d.signUp();
    const { jobs, files } = d.deps;

    const taken = txtJob(user.userId, 'taken.txt');
    await jobs.enqueue(taken, worker);
    expect(await jobs.commitIndexed('another-worker', commitOf(taken))).toEqual({ kind: 'lost' });
    expect(await files.get(user.userId, taken.fileId)).toMatchObject({ status: 'processing' });
    expect(await jobs.get(user.userId, taken.jobId)).toMatchObject({ status: 'running' });

    const deleted = txtJob(user.userId, 'deleted.txt');
    await jobs.enqueue(deleted, worker);
    await files.delete(user.userId, deleted.fileId);
    expect(await jobs.commitIndexed(worker.workerId, commitOf(deleted))).toEqual({ kind: 'gone' });
    expect(await jobs.get(user.userId, deleted.jobId)).toMatchObject({ status: 'running' });
  });

  it('answers identical bytes with the indexed copy, at enqueue and at a racing commit', async () => {
    const d = await testApp({ gateway: false });
    await d.deps.jobRunner.stop();
    const user = await d.signUp();
    const { jobs, files } = d.deps;

    const first = txtJob(user.userId, 'a.txt', 'same-bytes');
    const racing = txtJob(user.userId, 'b.txt', 'same-bytes');
    await jobs.enqueue(first, worker);
    await jobs.enqueue(racing); // queued before the first was indexed: a file row of its own
    await jobs.commitIndexed(worker.workerId, commitOf(first, 4));
    const [claimed] = await jobs.claim(worker.workerId, 1, 30);
    expect(claimed?.id).toBe(racing.jobId);
    expect(await jobs.commitIndexed(worker.workerId, commitOf(racing))).toEqual({
      kind: 'duplicate',
      existing: { fileId: first.fileId, chunksCount: 4, pageCount: null },
    });
    expect(await files.get(user.userId, racing.fileId)).toMatchObject({ status: 'processing' });

    // Uploaded after: a finished duplicate job and no file row, in the one enqueue statement.
    const later = txtJob(user.userId, 'c.txt', 'same-bytes');
    expect(await jobs.enqueue(later, worker)).toMatchObject({
      status: 'done',
      stage: 'indexed',
      duplicate: true,
      fileId: first.fileId,
      resultFileId: first.fileId,
      chunksCount: 4,
      attempts: 0,
    });
    expect(await files.get(user.userId, later.fileId)).toBeNull();
  });
});
