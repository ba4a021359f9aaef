import { randomUUID } from 'node:crypto';

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AppError,
  ingestFiles,
  QuotaMessages,
  quotaCheck,
  schema,
  type Database,
  type NewJob,
} from '@rag/core/testing';

import { createPostgresJobStore } from '../../../packages/core/src/adapters/postgres/job-store';
import { paragraphs, txtJob } from '../../support/fixtures';
import { testApp } from '../../support/test-app';
import { testDatabases } from '../../support/databases';

const sized = (job: NewJob, size: number): NewJob => ({ ...job, size });

describe.each(testDatabases())('per-user storage quota in the job store on $name', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const store = () => createPostgresJobStore(database.db);
  const markIndexed = (fileId: string) =>
    database.db.execute(sql`update files set status = 'indexed' where id = ${fileId}::uuid`);
  const fileRow = async (fileId: string) =>
    (await database.db.select().from(schema.files).where(eq(schema.files.id, fileId))).length;

  it('refuses the upload that would pass the byte limit, recording why and keeping no file row', async () => {
    const jobs = store();
    const user = randomUUID();
    const quota = quotaCheck({ maxBytes: 25, maxFiles: null });
    expect((await jobs.enqueue(sized(txtJob(user, 'a.txt'), 10), undefined, quota)).status).toBe(
      'queued',
    );
    expect((await jobs.enqueue(sized(txtJob(user, 'b.txt'), 15), undefined, quota)).status).toBe(
      'queued',
    );
    const over = sized(txtJob(user, 'c.txt'), 1);
    const refused = await jobs.enqueue(over, undefined, quota);
    expect(refused).toMatchObject({
      status: 'failed',
      errorCode: 'PAYLOAD_TOO_LARGE',
      reason: QuotaMessages.bytes(1, 25, 25),
      duplicate: false,
    });
    expect(await fileRow(over.fileId)).toBe(0);
    expect(await jobs.storageUsage(user)).toEqual({ bytes: 25, files: 2 });
    // Without a quota the same upload goes through (the limit is the caller's to pass).
    expect((await jobs.enqueue(sized(txtJob(user, 'c.txt'), 1))).status).toBe('queued');
  });

  it('counts files, lets a new version replace its indexed namesake and never refuses identical bytes', async () => {
    const jobs = store();
    const user = randomUUID();
    const quota = quotaCheck({ maxBytes: null, maxFiles: 2 });
    const a = txtJob(user, 'a.txt');
    const b = txtJob(user, 'b.txt');
    await jobs.enqueue(a, undefined, quota);
    await jobs.enqueue(b, undefined, quota);
    expect(await jobs.enqueue(txtJob(user, 'c.txt'), undefined, quota)).toMatchObject({
      status: 'failed',
      reason: QuotaMessages.files(2),
    });
    // b.txt still being indexed: a second b.txt is one more file, not a replacement.
    expect((await jobs.enqueue(txtJob(user, 'b.txt'), undefined, quota)).status).toBe('failed');
    await markIndexed(a.fileId);
    await markIndexed(b.fileId);
    const newer = await jobs.enqueue(txtJob(user, 'a.txt'), undefined, quota);
    expect(newer.status).toBe('queued');
    // Identical bytes to an indexed file answer as a duplicate even with the quota reached.
    const again = await jobs.enqueue(txtJob(user, 'copy.txt', b.sha256), undefined, quota);
    expect(again).toMatchObject({ status: 'done', duplicate: true, resultFileId: b.fileId });
  });

  it("never counts another user's files", async () => {
    const jobs = store();
    const [alice, bob] = [randomUUID(), randomUUID()];
    const quota = quotaCheck({ maxBytes: 10, maxFiles: 1 });
    await jobs.enqueue(txtJob(alice, 'a.txt'), undefined, quota);
    expect((await jobs.enqueue(txtJob(bob, 'a.txt'), undefined, quota)).status).toBe('queued');
    expect(await jobs.storageUsage(bob)).toEqual({ bytes: 10, files: 1 });
    expect(await jobs.storageUsage(randomUUID())).toEqual({ bytes: 0, files: 0 });
  });

  it('admits exactly the quota when many uploads race', async () => {
    const jobs = store();
    const user = randomUUID();
    const quota = quotaCheck({ maxBytes: null, maxFiles: 3 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        jobs.enqueue(txtJob(user, `f${i}.txt`), undefined, quota),
      ),
    );
    expect(results.filter((j) => j.status === 'queued')).toHaveLength(3);
    expect(results.filter((j) => j.status === 'failed')).toHaveLength(9);
    expect(await jobs.storageUsage(user)).toEqual({ bytes: 30, files: 3 });
  });

  it('admits a batch in order while it fits, per user, and races with single uploads', async () => {
    const jobs = store();
    const [alice, bob] = [randomUUID(), randomUUID()];
    const quota = quotaCheck({ maxBytes: 30, maxFiles: null });
    await jobs.enqueue(txtJob(alice, 'old.txt'), undefined, quota);
    const batch = [
      sized(txtJob(alice, 'a.txt'), 15),
      sized(txtJob(bob, 'b.txt'), 30),
      sized(txtJob(alice, 'big.txt'), 10),
      sized(txtJob(alice, 'c.txt'), 5),
      sized(txtJob(bob, 'b2.txt'), 1),
    ];
    const [single, answered] = await Promise.all([
      jobs.enqueue(sized(txtJob(alice, 'racer.txt'), 5), undefined, quota),
      jobs.enqueueMany(batch, quota),
    ]);
    expect(answered.map((j) => j.id)).toEqual(batch.map((j) => j.jobId));
    expect(answered.map((j) => j.status)).toEqual(
      single.status === 'queued'
        ? // racer first: 10 + 5 + 15 = 30, so big.txt and c.txt no longer fit
          ['queued', 'queued', 'failed', 'failed', 'failed']
        : ['queued', 'queued', 'failed', 'queued', 'failed'],
    );
    const aliceUsage = await jobs.storageUsage(alice);
    expect(aliceUsage.bytes).toBe(30);
    expect(await jobs.storageUsage(bob)).toEqual({ bytes: 30, files: 1 });
    const refused = answered.filter((j) => j.status === 'failed');
    for (const j of refused) expect(await fileRow(j.fileId)).toBe(0);
    expect(refused[0]).toMatchObject({ errorCode: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('the storage quota on many uploads at once (ingestFiles)', () => {
  it('indexes the files that fit, refuses the rest with their 413 and keeps none of their bytes', async () => {
    const d = await testApp({ gateway: false, env: { USER_MAX_FILES: '2' } });
    const user = await d.signUp();
    const inputs = ['one', 'two', 'three'].map((name) => ({
      userId: user.userId,
      filename: `${name}.md`,
      source: Buffer.from(`# ${name}\n\n${paragraphs(`bulk ${name}`, 10)}\n`),
    }));
    const results = await ingestFiles(d.deps, inputs);
    expect(
      results.slice(0, 2).map((r) => (r instanceof AppError ? r.message : r.filename)),
    ).toEqual(['one.md', 'two.md']);
    const refused = results[2];
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: QuotaMessages.files(2) });
    const kept = (await d.deps.blobs.list()).filter((k) => k.startsWith(`${user.userId}/`));
    expect(kept).toHaveLength(2);
    expect(await d.deps.jobs.storageUsage(user.userId)).toMatchObject({ files: 2 });
  });
});
