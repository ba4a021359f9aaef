import { afterEach, describe, expect, it, vi } from 'vitest';

import { listenForJobs, waitForJobs } from '../../../packages/core/src/domain/files/wait-job';
import type { IngestJob } from '../../../packages/core/src/ports/job-store';
import type { ProgressListener } from '../../../packages/core/src/ports/progress-bus';

const USER = 'u1';

function job(id: string, status: IngestJob['status']): IngestJob {
  const at = new Date(0);
  return {
    id,
    userId: USER,
    fileId: `f-${id}`,
    uploadId: null,
    filename: `${id}.md`,
    extension: 'md',
    storageKey: id,
    category: null,
    size: 1,
    sha256: id,
    status,
    stage: status === 'done' ? 'indexed' : 'uploaded',
    pagesDone: null,
    pageCount: null,
    chunksCount: 1,
    resultFileId: status === 'done' ? `f-${id}` : null,
    duplicate: false,
    errorCode: null,
    reason: null,
    attempts: 1,
    createdAt: at,
    updatedAt: at,
    finishedAt: status === 'done' ? at : null,
  };
}

/** Job rows the test finishes by hand, a bus that may drop events, and every getMany call recorded. */
function fakes(ids: string[]) {
  const done = new Set<string>();
  const reads: string[][] = [];
  let listener: ProgressListener | null = null;
  let onRead: () => void = () => undefined;
  const deps = {
    jobs: {
      getMany: async (_user: string, wanted: string[]) => {
        reads.push(wanted);
        onRead();
        return wanted.map((id) => job(id, done.has(id) ? 'done' : 'running'));
      },
    },
    progress: {
      listen: async (l: ProgressListener) => {
        listener = l;
        return async () => {
          listener = null;
        };
      },
    },
  };
  const finish = (id: string, notify = true) => {
    done.add(id);
    if (notify)
      listener?.(USER, {
        stage: 'indexed',
        jobId: id,
        uploadId: null,
        fileId: `f-${id}`,
        filename: `${id}.md`,
        done: 1,
        total: 1,
      });
  };
  const nextRead = () => new Promise<void>((r) => (onRead = r));
  return { deps, reads, finish, nextRead, ids };
}

afterEach(() => vi.useRealTimers());

describe('waiting for many jobs', () => {
  it('reads each finished row once and at most a page of unfinished rows per recheck', async () => {
    vi.useFakeTimers();
    const ids = Array.from({ length: 1000 }, (_, i) => `j${String(i).padStart(4, '0')}`);
    const f = fakes(ids);
    let read = f.nextRead();
    const waiting = waitForJobs(f.deps, USER, ids);
    await read;
    // Half finish with their events, then the recheck timer fires.
    for (const id of ids.slice(0, 500)) f.finish(id);
    read = f.nextRead();
    await vi.advanceTimersByTimeAsync(2000);
    await read;
    // The rest finish: the last event wakes the wait at once, without the timer.
    read = f.nextRead();
    for (const id of ids.slice(500)) f.finish(id);
    await read;
    const rows = await waiting;
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    const unheardPerRead = f.reads.map((r, k) => (k === 0 ? r.length : r.length - 500));
    expect(f.reads[0]).toHaveLength(256);
    expect(Math.max(...unheardPerRead)).toBeLessThanOrEqual(256);
    // Every row read as finished exactly once: 1,000 ids, plus the unfinished pages.
    const total = f.reads.reduce((n, r) => n + r.length, 0);
    expect(total).toBeLessThan(1000 + 3 * 256);
  });

  it('finds a job whose final event was lost, once it reaches the front of the unheard ones', async () => {
    vi.useFakeTimers();
    const ids = Array.from({ length: 600 }, (_, i) => `j${String(i).padStart(4, '0')}`);
    const f = fakes(ids);
    const read = f.nextRead();
    const waiting = waitForJobs(f.deps, USER, ids);
    await read;
    // j0599 (last in order, outside the first page) finishes without an event; the others with theirs.
    f.finish('j0599', false);
    for (const id of ids.slice(0, 599)) f.finish(id);
    await Promise.resolve();
    // Not every open job was heard: the wait needs the recheck to find the lost one, and holds it one
    // more recheck in case its event is on its way (its runner may still be cleaning up).
    let settled = false;
    void waiting.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(settled).toBe(true);
    const rows = await waiting;
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.find((r) => r.id === 'j0599')?.status).toBe('done');
  });

  it('holds a job a recheck found finished until its event arrives (its runner may still be cleaning up)', async () => {
    vi.useFakeTimers();
    const ids = ['j0', 'j1'];
    const f = fakes(ids);
    const read = f.nextRead();
    const waiting = waitForJobs(f.deps, USER, ids);
    await read;
    f.finish('j0');
    f.finish('j1', false); // its row says done; its event is not out yet
    let settled = false;
    void waiting.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2000);
    expect(settled).toBe(false);
    // The event wakes the wait at once, without another recheck.
    const reread = f.nextRead();
    f.finish('j1');
    await reread;
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    expect((await waiting).map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('keeps the final events of jobs that ended before the wait knew them (a bulk submit still enqueueing)', async () => {
    vi.useFakeTimers();
    const ids = Array.from({ length: 1000 }, (_, i) => `j${String(i).padStart(4, '0')}`);
    const f = fakes(ids);
    const listening = await listenForJobs(f.deps, USER);
    // Every job ends, with its event, before `wait` is given their ids.
    for (const id of ids) f.finish(id);
    let settled = false;
    const waiting = listening.wait(ids).then((rows) => ((settled = true), rows));
    await vi.advanceTimersByTimeAsync(0);
    // Found at once in one read (without the early events: four rechecks of 256 rows, 2 s apart).
    expect(settled).toBe(true);
    const rows = await waiting;
    await listening.stop();
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(f.reads).toHaveLength(1);
  });
});
