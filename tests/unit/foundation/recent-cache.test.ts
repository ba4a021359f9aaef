import { describe, expect, it } from 'vitest';

import { createRecentCache } from '../../../packages/core/src/lib/recent-cache';

describe('createRecentCache', () => {
  it('computes a key once while it is kept, and forgets the oldest beyond its size', () => {
    const cache = createRecentCache<string, number>(2);
    const computed: string[] = [];
    const length = (k: string) => {
      computed.push(k);
      return k.length;
    };
    expect(cache('a', length)).toBe(1);
    expect(cache('bb', length)).toBe(2);
    expect(cache('a', length)).toBe(1);
    expect(computed).toEqual(['a', 'bb']);
    expect(cache('ccc', length)).toBe(3); // 'a', the first in, goes
    expect(cache('bb', length)).toBe(2);
    expect(cache('a', length)).toBe(1);
    expect(computed).toEqual(['a', 'bb', 'ccc', 'a']);
  });

  it('keeps a falsy value like any other', () => {
    const cache = createRecentCache<string, number>(4);
    let calls = 0;
    const zero = () => {
      calls++;
      return 0;
    };
    expect(cache('k', zero)).toBe(0);
    expect(cache('k', zero)).toBe(0);
    expect(calls).toBe(1);
  });
});
