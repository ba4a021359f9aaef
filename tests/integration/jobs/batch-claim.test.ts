import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createHashingEmbedder, ingestFiles } from '@rag/core/testing';

import { gatedEmbedder } from '../../support/embedders';
import { chunkRecord, paragraphs, txtJob } from '../../support/fixtures';
import { createTestDeps } from '../../support/harness';
import { captureLog } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

/** Raw rows of a query (both drivers answer `{ rows }`). */
async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  return ((await result) as { rows: T[] }).rows;
}

describe('a batched job whose claim was taken over before the batch wrote its chunks', () => {
  it('gets none of its chunks written; the rest of the batch is indexed', async () => {
    const embedder = gatedEmbedder();
    const logs = captureLog('warn');
    const deps = await createTestDeps({}, { embedder, log: logs.log });
    try {
      const user = randomUUID();
      const inputs = Array.from({ length: 6 }, (_, i) => ({
        userId: user,
        filename: `record-${i}.md`,
        source: Buffer.from(`# Record ${i}\n\n${paragraphs(`claimed batch ${i}`, 12)}\n`),
      }));
      const pending = ingestFiles(deps, inputs);
      pending.catch(() => undefined);
      await embedder.waiting;
      const { db } = deps.database;
      const jobs = () =>
        rowsOf<{ id: string; file_id: string; status: string; claimed_by: string | null }>(
          db.execute(
            sql`select id::text, file_id::text, status, claimed_by from ingest_jobs
                where user_id = ${user} order by created_at`,
          ),
        );
      // Every job was claimed by this runner in one batch, and the reads wait at the embedder.
      const claimed = await waitUntil(async () => {
        const rows = await jobs();
        return rows.length === 6 && rows.every((r) => r.status === 'running') && rows;
      }, 'the batch claimed');
      expect(new Set(claimed.map((r) => r.claimed_by)).size).toBe(1);
      // What `claim` does to a row whose lease expired: another runner holds it now (and it would
      // start clean, deleting the file's chunks, before this runner's write arrives).
      const taken = claimed[2]!;
      await db.execute(
        sql`update ingest_jobs set claimed_by = 'another-runner' where id = ${taken.id}::uuid`,
      );
      embedder.open();
      await logs.waitFor('jobs taken over by another worker');
      // Not one chunk of the taken-over file was written by the runner that lost it…
      expect(await deps.vectorIndex.count(user, { fileIds: [taken.file_id] })).toBe(0);
      const stats = await rowsOf<{ doc_count: number }>(
        db.execute(sql`select doc_count from index_stats where user_id = ${user}`),
      );
      // …nor counted in the user's statistics, while the other five files are indexed.
      expect(Number(stats[0]?.doc_count)).toBe(await deps.vectorIndex.count(user));
      const rows = await jobs();
      for (const r of rows) {
        if (r.id === taken.id) {
          expect(r).toMatchObject({ status: 'running', claimed_by: 'another-runner' });
          continue;
        }
        expect(r.status).toBe('done');
        expect(await deps.vectorIndex.count(user, { fileIds: [r.file_id] })).toBeGreaterThan(0);
      }
    } finally {
      await deps.close();
    }
  });
});

describe('a chunk write under a job claim', () => {
  it('stores the rows of held jobs only, in the same transaction as the check', async () => {
    const deps = await createTestDeps();
    try {
      await deps.jobRunner.stop(); // nothing else claims here
      const user = randomUUID();
      const [mine, theirs] = [txtJob(user, 'mine.txt'), txtJob(user, 'theirs.txt')];
      await deps.jobs.enqueueMany([mine, theirs]);
      expect((await deps.jobs.claim('runner-a', 2, 300)).length).toBe(2);
      // `theirs` was taken over by another runner since runner-a claimed it.
      await deps.database.db.execute(
        sql`update ingest_jobs set claimed_by = 'runner-b' where id = ${theirs.jobId}::uuid`,
      );
      const vector = (await createHashingEmbedder(768).embed(['x']))[0]!;
      const rows = [mine, theirs].flatMap((j) =>
        [0, 1].map((i) =>
          chunkRecord(user, `claimed write ${j.filename} ${i}`, vector, {
            fileId: j.fileId,
            filename: j.filename,
            chunkIndex: i,
          }),
        ),
      );
      const claim = {
        workerId: 'runner-a',
        jobs: [mine, theirs].map((j) => ({ jobId: j.jobId, fileId: j.fileId })),
      };
      await deps.vectorIndex.upsert(user, rows, claim);
      expect(await deps.vectorIndex.count(user, { fileIds: [mine.fileId] })).toBe(2);
      expect(await deps.vectorIndex.count(user, { fileIds: [theirs.fileId] })).toBe(0);
      const hits = await deps.vectorIndex.search({
        userId: user,
        text: 'claimed write',
        mode: 'keyword',
        limit: 10,
        alpha: 0,
      });
      expect(hits.map((h) => h.chunk.fileId)).toEqual([mine.fileId, mine.fileId]);
      // A write whose every claim is lost stores nothing and leaves the statistics as they were.
      await deps.vectorIndex.upsert(
        user,
        rows.filter((r) => r.fileId === theirs.fileId).map((r) => ({ ...r, id: randomUUID() })),
        { workerId: 'runner-a', jobs: [{ jobId: theirs.jobId, fileId: theirs.fileId }] },
      );
      const stats = await rowsOf<{ doc_count: number }>(
        deps.database.db.execute(sql`select doc_count from index_stats where user_id = ${user}`),
      );
      expect(Number(stats[0]?.doc_count)).toBe(2);
      expect(await deps.vectorIndex.count(user)).toBe(2);
    } finally {
      await deps.close();
    }
  });

  it('is one statement on the embedded database while every claim holds; a lost claim or a rewrite falls back to the locked transaction', async () => {
    const deps = await createTestDeps();
    try {
      await deps.jobRunner.stop();
      const user = randomUUID();
      const job = txtJob(user, 'held.txt');
      const { fileId } = job;
      await deps.jobs.enqueueMany([job]);
      expect((await deps.jobs.claim('runner-a', 1, 300)).length).toBe(1);
      const { db } = deps.database;
      const transaction = db.transaction.bind(db);
      let transactions = 0;
      db.transaction = ((...a: Parameters<typeof transaction>) => {
        transactions++;
        return transaction(...a);
      }) as typeof db.transaction;
      const vector = (await createHashingEmbedder(768).embed(['x']))[0]!;
      const rows = (tag: string) =>
        [0, 1, 2].map((i) =>
          chunkRecord(user, `single statement ${tag} ${i}`, vector, {
            fileId,
            filename: 'held.txt',
            chunkIndex: i,
          }),
        );
      const claim = { workerId: 'runner-a', jobs: [{ jobId: job.jobId, fileId }] };
      const docCount = async () =>
        Number(
          (
            await rowsOf<{ doc_count: number }>(
              db.execute(sql`select doc_count from index_stats where user_id = ${user}`),
            )
          )[0]?.doc_count ?? 0,
        );

      const first = rows('first');
      await deps.vectorIndex.upsert(user, first, claim);
      expect(transactions).toBe(0);
      expect(await deps.vectorIndex.count(user)).toBe(3);
      expect(await docCount()).toBe(3);
      // The ids a keyword search finds (it may load the user's postings in a transaction of its own).
      const found = async (text: string) => {
        const hits = await deps.vectorIndex.search({
          userId: user,
          text,
          mode: 'keyword',
          limit: 10,
          alpha: 0,
        });
        transactions = 0;
        return hits.map((h) => h.chunk.id).sort();
      };
      const ids = first.map((r) => r.id).sort();
      expect(await found('single statement first')).toEqual(ids);

      // Ids stored already: the statement writes nothing, the transaction replaces them.
      await deps.vectorIndex.upsert(
        user,
        first.map((r) => ({ ...r, content: `${r.content} rewritten` })),
        claim,
      );
      expect(transactions).toBe(1);
      expect(await deps.vectorIndex.count(user)).toBe(3);
      expect(await docCount()).toBe(3);
      expect(await found('rewritten')).toEqual(ids);

      // The claim taken over: nothing written, by the statement or the transaction after it.
      await db.execute(
        sql`update ingest_jobs set claimed_by = 'runner-b' where id = ${job.jobId}::uuid`,
      );
      await deps.vectorIndex.upsert(user, rows('lost'), claim);
      expect(transactions).toBe(1);
      expect(await deps.vectorIndex.count(user)).toBe(3);
      expect(await docCount()).toBe(3);
    } finally {
      await deps.close();
    }
  });
});
