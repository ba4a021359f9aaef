import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  createDeps,
  createHashingEmbedder,
  parseEnv,
  type Deps,
  type Embedder,
  type IngestProgress,
} from '@rag/core/testing';

import { createScratchDatabase } from '../../support/databases';
import { paragraphs, uploadForm } from '../../support/fixtures';
import { callerFor, startGateway, type RunningGateway } from '../../support/harness';
import { startQdrantStandIn, type QdrantStandIn } from '../../support/qdrant-standin';
import { signUpUser, type TestUser } from '../../support/users';
import { waitUntil } from '../../support/wait';

// Real PostgreSQL (the global setup's cluster): jobs, claims (SKIP LOCKED) and LISTEN/NOTIFY progress.
for (const baseUrl of [inject('postgresUrl')].filter(Boolean)) {
  describe('two gateways sharing one Postgres', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rag-2gw-'));
    let standin: QdrantStandIn;
    let url: string;
    let a: Deps;
    let b: Deps;
    let gwA: RunningGateway;
    let gwB: RunningGateway;
    let user: TestUser;
    const open = (extra: Record<string, string> = {}, embedder?: Embedder) =>
      createDeps(
        parseEnv({
          DATA_DIR: dataDir,
          DATABASE_URL: url,
          DATABASE_POOL_MAX: '4',
          QDRANT_URL: standin.url,
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          JOB_LEASE_S: '1',
          ...extra,
        }),
        { log: pino({ level: 'silent' }), ...(embedder ? { embedder } : {}) },
      );

    beforeAll(async () => {
      standin = await startQdrantStandIn();
      url = await createScratchDatabase(baseUrl);
      a = await open();
      b = await open();
      gwA = await startGateway(a);
      gwB = await startGateway(b);
      user = await signUpUser(a);
    });
    afterAll(async () => {
      await gwA?.close();
      await gwB?.close();
      await a?.close();
      await b?.close();
      await standin?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a subscriber on gateway B follows an upload made on gateway A', async () => {
      expect(a.progress.name).toBe('postgres LISTEN/NOTIFY');
      const uploadId = randomUUID();
      const onB = await callerFor(b, user.token);
      const events: IngestProgress[] = [];
      const stream = await onB.files.progress({ upload_id: uploadId });
      const it = stream[Symbol.asyncIterator]();
      expect((await it.next()).value).toEqual({ stage: 'ready' });
      const reading = (async () => {
        for (let r = await it.next(); !r.done; r = await it.next())
          if (r.value.stage !== 'ready') events.push(r.value);
      })();
      const res = await fetch(`${gwA.url}/api/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}` },
        body: uploadForm('shared.txt', paragraphs('shared database', 20), { upload_id: uploadId }),
      });
      expect(res.status).toBe(200);
      await reading;
      expect(events[0]?.stage).toBe('uploaded');
      expect(events.at(-1)?.stage).toBe('indexed');
      // B's REST SSE answers the finished job at once, and B lists the file A indexed.
      const sse = await fetch(`${gwB.url}/api/files/${events.at(-1)!.fileId}/progress`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(await sse.text()).toMatch(/^event: indexed\n/);
    });

    it('the job table is shared: a job queued on A is run by B when A takes none', async () => {
      await a.jobRunner.stop();
      const onA = await callerFor(a, user.token);
      // A answers its synchronous upload when B's worker finishes (the event crosses gateways).
      const res = await onA.files.upload(uploadForm('by-b.txt', paragraphs('other gateway', 10)));
      expect(res.status).toBe('success');
      const job = await b.jobs.latestForFile(user.userId, res.file_id);
      expect(job).toMatchObject({ status: 'done', attempts: 1 });
      await a.jobRunner.start();
    });

    it('a gateway that dies mid-job loses its lease; another gateway redoes the job', async () => {
      let stalled: () => void = () => undefined;
      const stalledP = new Promise<void>((r) => (stalled = r));
      const inner = createHashingEmbedder(768);
      let calls = 0;
      const stalling: Embedder = {
        id: inner.id,
        dimensions: inner.dimensions,
        fusionWeight: inner.fusionWeight,
        embed(texts, o) {
          if (o?.kind === 'query' || ++calls < 2) return inner.embed(texts, o);
          stalled();
          return new Promise((_, reject) =>
            o?.signal?.addEventListener('abort', () => reject(new Error('aborted')), {
              once: true,
            }),
          );
        },
      };
      // Only the doomed gateway C runs jobs while the upload is queued.
      await a.jobRunner.stop();
      await b.jobRunner.stop();
      const c = await open({}, stalling);
      try {
        const onC = await callerFor(c, user.token);
        const accepted = await onC.files.uploadAsync(
          uploadForm('crash.txt', paragraphs('lease expiry', 8000)),
        );
        await stalledP;
        await c.jobRunner.stop({ abandon: true }); // the crash: no release, no more lease renewals
        await b.jobRunner.start();
        // B claims the job once C's lease has expired (JOB_LEASE_S), then finishes it.
        const done = await waitUntil(async () => {
          const job = await b.jobs.get(user.userId, accepted.job_id);
          return job?.status === 'done' && job;
        }, 'gateway B to finish the abandoned job');
        expect(done.attempts).toBe(2);
        expect(await b.vectorIndex.count(user.userId, { fileIds: [accepted.file_id!] })).toBe(
          done.chunksCount,
        );
      } finally {
        await c.close();
        await a.jobRunner.start();
      }
    });
  });
}
