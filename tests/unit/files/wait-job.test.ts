import { afterEach, describe, expect, it, vi } from 'vitest';

import { listenForJob } from '../../../packages/core/src/domain/files/wait-job';
import type { IngestJob } from '../../../packages/core/src/ports/job-store';
import type { ProgressListener } from '../../../packages/core/src/ports/progress-bus';

const USER = 'u1';

/** One job row the test finishes by hand, and a bus whose final event the test sends (or not). */
function fakes() {
  let status: IngestJob['status'] = 'running';
  let listener: ProgressListener | null = null;
  let reads = 0;
  const deps = {
    jobs: {
      get: async (_user: string, id: string) => {
        reads++;
        return { id, userId: USER, status, filename: 'a.md' } as IngestJob;
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
  return {
    deps,
    reads: () => reads,
    finishRow: () => (status = 'done'),
    event: () =>
      listener?.(USER, {
        stage: 'indexed',
        jobId: 'j1',
        uploadId: null,
        fileId: 'f1',
        filename: 'a.md',
        done: 1,
        total: 1,
      }),
  };
}

/** Starts the wait of an upload (listening before its job was written) and tracks when it settles. */
async function waiting(f: ReturnType<typeof fakes>) {
  const w = await listenForJob(f.deps as never, USER);
  const state = { settled: false };
  const job = w
    .until('j1', { listenedSinceCreated: true })
    .then((j) => ((state.settled = true), j));
  return { job, state };
}

afterEach(() => vi.useRealTimers());

describe("waiting for an upload's job", () => {
  it('answers on the final event without a recheck', async () => {
    vi.useFakeTimers();
    const f = fakes();
    const { job, state } = await waiting(f);
    f.finishRow();
    f.event();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.settled).toBe(true);
    expect((await job).status).toBe('done');
    expect(f.reads()).toBe(1);
  });

  it('holds a row a recheck found final until its event (its runner may still be cleaning up)', async () => {
    vi.useFakeTimers();
    const f = fakes();
    const { job, state } = await waiting(f);
    f.finishRow(); // the row says done; the runner still removes what the job replaced
    await vi.advanceTimersByTimeAsync(2000);
    expect(f.reads()).toBe(1);
    expect(state.settled).toBe(false);
    f.event(); // cleanup done: the event wakes the wait at once
    await vi.advanceTimersByTimeAsync(0);
    expect(state.settled).toBe(true);
    expect((await job).status).toBe('done');
  });

  it('answers from the row one recheck later when the final event was lost', async () => {
    vi.useFakeTimers();
    const f = fakes();
    const { job, state } = await waiting(f);
    f.finishRow();
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.settled).toBe(true);
    expect((await job).status).toBe('done');
  });
});
