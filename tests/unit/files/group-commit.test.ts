import { describe, expect, it } from 'vitest';

import { createGroupCommit } from '../../../packages/core/src/adapters/vector/group-commit';

import { gate } from '../../support/wait';

describe('group commit of index writes', () => {
  it('merges submissions queued during a running write into one round, per key', async () => {
    const rounds: [string, number[]][] = [];
    const first = gate();
    const writes = createGroupCommit<number>(async (key, items) => {
      rounds.push([key, items]);
      if (rounds.length === 1) await first.opened;
    }, 100);
    const a = writes.submit('u1', [1]);
    const b = writes.submit('u1', [2, 3]);
    const c = writes.submit('u1', [4]);
    const other = writes.submit('u2', [9]);
    first.open();
    await Promise.all([a, b, c, other]);
    expect(rounds).toEqual([
      ['u1', [1]],
      ['u2', [9]],
      ['u1', [2, 3, 4]],
    ]);
  });

  it('caps a round at maxItems rows', async () => {
    const rounds: number[][] = [];
    const first = gate();
    const writes = createGroupCommit<number>(async (_key, items) => {
      rounds.push(items);
      if (rounds.length === 1) await first.opened;
    }, 3);
    const all = [
      writes.submit('u', [0]),
      writes.submit('u', [1, 2]),
      writes.submit('u', [3]),
      writes.submit('u', [4, 5, 6, 7]),
    ];
    first.open();
    await Promise.all(all);
    expect(rounds).toEqual([[0], [1, 2, 3], [4, 5, 6, 7]]);
  });

  it('retries a failed merged round per submission: only the bad one fails', async () => {
    const committed: number[][] = [];
    const first = gate();
    let calls = 0;
    const writes = createGroupCommit<number>(async (_key, items) => {
      if (++calls === 1) await first.opened;
      if (items.includes(-1)) throw new Error('bad row');
      committed.push(items);
    }, 100);
    const a = writes.submit('u', [1]);
    const good = writes.submit('u', [2]);
    const bad = writes.submit('u', [-1]);
    const later = writes.submit('u', [3]);
    first.open();
    await expect(a).resolves.toBeUndefined();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('bad row');
    await expect(later).resolves.toBeUndefined();
    expect(committed).toEqual([[1], [2], [3]]);
    await writes.settle();
  });
});
