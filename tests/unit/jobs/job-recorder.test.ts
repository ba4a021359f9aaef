import { afterEach, describe, expect, it, vi } from 'vitest';

import { ClaimLost, jobRecorder } from '../../../packages/core/src/domain/jobs/run-job';
import type { JobProgress } from '../../../packages/core/src/ports/job-store';

afterEach(() => vi.useRealTimers());

/** A job store whose progress writes are recorded; `held` says whether the claim still holds. */
function store(held = true) {
  const written: JobProgress[] = [];
  const jobs = {
    progress: (_jobId: string, _workerId: string, p: JobProgress) => {
      written.push(p);
      return Promise.resolve(held);
    },
  };
  return { written, deps: { jobs } };
}

describe("a running job's progress rows", () => {
  it('are written at most once a second, the latest progress once the window ends', async () => {
    vi.useFakeTimers();
    const { written, deps } = store();
    const rows = jobRecorder(deps, { id: 'j' }, 'w');
    rows.record({ stage: 'parsed', pageCount: 3, pagesDone: 0 }, true);
    await vi.advanceTimersByTimeAsync(200);
    rows.record({ stage: 'chunked', pagesDone: 1 });
    await vi.advanceTimersByTimeAsync(200);
    rows.record({ stage: 'embedded', chunksCount: 5, pagesDone: 1 });
    expect(written.map((p) => p.stage)).toEqual(['parsed']);
    // Nothing else is reported for a long time (a slow embedding): the latest still goes.
    await vi.advanceTimersByTimeAsync(600);
    expect(written.at(-1)).toEqual({ stage: 'embedded', chunksCount: 5, pagesDone: 1 });
    expect(written).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toHaveLength(2);
  });

  it('drop what still waits when the job ends (its commit writes the final state)', async () => {
    vi.useFakeTimers();
    const { written, deps } = store();
    const rows = jobRecorder(deps, { id: 'j' }, 'w');
    rows.record({ stage: 'parsed' }, true);
    rows.record({ stage: 'embedded', chunksCount: 9 });
    await rows.settle();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written.map((p) => p.stage)).toEqual(['parsed']);
  });

  it('say when the claim was lost', async () => {
    const { deps } = store(false);
    const rows = jobRecorder(deps, { id: 'j' }, 'w');
    rows.record({ stage: 'parsed' }, true);
    await expect(rows.settle()).rejects.toBeInstanceOf(ClaimLost);
    expect(await rows.drain()).toBe(true);
  });
});
