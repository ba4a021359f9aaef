import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createDeps, openProgress, parseEnv, type Deps, type NewJob } from '@rag/core/testing';

import { queryRows } from '../../../packages/core/src/adapters/vector/sql-rows';

import { createScratchDatabase } from '../../support/databases';
import { paragraphs } from '../../support/fixtures';
import { startQdrantStandIn, type QdrantStandIn } from '../../support/qdrant-standin';
import { signUpUser, type TestUser } from '../../support/users';
import { waitUntil } from '../../support/wait';

// Real PostgreSQL (the global setup's cluster): the job loop is woken by LISTEN/NOTIFY `uploaded`
// events, and those sent while its LISTEN connection is down are lost.
for (const baseUrl of [inject('postgresUrl')].filter(Boolean)) {
  describe('the job loop after its LISTEN connection reconnects', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rag-relisten-'));
    let standin: QdrantStandIn;
    let a: Deps;
    let user: TestUser;

    beforeAll(async () => {
      standin = await startQdrantStandIn();
      a = await createDeps(
        parseEnv({
          DATA_DIR: dataDir,
          DATABASE_URL: await createScratchDatabase(baseUrl),
          DATABASE_POOL_MAX: '4',
          QDRANT_URL: standin.url,
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          // The periodic sweep (lease / 3 = 20 min), which claims too, stays out of this test.
          JOB_LEASE_S: '3600',
        }),
        { log: pino({ level: 'silent' }) },
      );
      user = await signUpUser(a);
    });
    const listeners = async () =>
      (
        await queryRows(
          a.database.db,
          sql`select pid from pg_stat_activity
              where datname = current_database() and query ilike 'LISTEN ingest_progress%'`,
        )
      ).map((r) => ({ pid: Number(r.pid) }));
    /** Drops the bus's LISTEN connection (a restart of Postgres, a network cut); it reconnects. */
    const dropListen = async () => {
      const [before] = await listeners();
      expect(before).toBeDefined();
      await a.database.db.execute(sql`select pg_terminate_backend(${before!.pid})`);
      return before!.pid;
    };
    const newJob = (bytes: Buffer, filename: string): NewJob => {
      const fileId = randomUUID();
      return {
        jobId: randomUUID(),
        userId: user.userId,
        fileId,
        uploadId: null,
        filename,
        extension: '.txt',
        storageKey: `${user.userId}/${fileId}.txt`,
        category: null,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    };
    afterAll(async () => {
      await a?.close();
      await standin?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('claims a job queued while the connection was down as soon as it listens again', async () => {
      expect(a.progress.name).toBe('postgres LISTEN/NOTIFY');
      // Restarted with a counted claim: once its start-up claim found the queue empty, the runner
      // claims again only when something wakes it.
      await a.jobRunner.stop();
      const claim = a.jobs.claim.bind(a.jobs);
      let emptyClaims = 0;
      a.jobs.claim = async (...args) => {
        const jobs = await claim(...args);
        if (jobs.length === 0) emptyClaims++;
        return jobs;
      };
      await a.jobRunner.start();
      await waitUntil(() => emptyClaims > 0 && a.jobRunner.running === 0, 'the start-up claim');

      // Another gateway's upload whose `uploaded` event this one never hears: the row and the blob
      // are there, no notification is (that is what a NOTIFY sent while the LISTEN was down leaves).
      const bytes = Buffer.from(paragraphs('queued while the listener was down', 5));
      const job = newJob(bytes, 'missed.txt');
      await a.blobs.write(job.storageKey, bytes, { maxBytes: 1 << 20 });
      expect(await a.jobs.enqueue(job)).toMatchObject({ status: 'queued' });

      const before = await dropListen();
      await waitUntil(
        async () => (await a.jobs.get(user.userId, job.jobId))?.status === 'done',
        'the missed job to be claimed and indexed after the reconnect',
      );
      expect(await a.jobs.get(user.userId, job.jobId)).toMatchObject({
        stage: 'indexed',
        attempts: 1,
      });
      // Listening again, on a new connection.
      expect((await listeners()).map((r) => r.pid)).not.toContain(before);
      expect(await listeners()).toHaveLength(1);
    });

    it('ends a progress stream whose final event was published while the connection was down', async () => {
      // A job another gateway runs (claimed by it, so this runner leaves it alone).
      const job = newJob(Buffer.from('elsewhere'), 'elsewhere.txt');
      const other = { workerId: 'other-gateway', leaseSeconds: 3600 };
      expect(await a.jobs.enqueue(job, other)).toMatchObject({ status: 'running' });
      const stream = await openProgress(a, user.userId, { jobId: job.jobId });
      expect((await stream.next()).value).toMatchObject({ stage: 'uploaded' });
      // It ends there; its `indexed` event (sent while our LISTEN is down) never reaches us.
      expect(
        await a.jobs.commitIndexed(other.workerId, {
          jobId: job.jobId,
          userId: job.userId,
          fileId: job.fileId,
          filename: job.filename,
          sha256: job.sha256,
          chunksCount: 1,
          pageCount: null,
        }),
      ).toMatchObject({ kind: 'committed' });
      await dropListen();
      expect((await stream.next()).value).toMatchObject({ stage: 'indexed', jobId: job.jobId });
      expect((await stream.next()).done).toBe(true);
    });
  });
}
