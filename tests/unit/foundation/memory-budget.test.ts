import { describe, expect, it } from 'vitest';

import { parseEnv } from '@rag/core';

import { memoryBudget, sizeMiB } from '../../../packages/core/src/lib/memory-budget';

describe('the memory ceiling computed from the settings (13.3)', () => {
  it('reads Postgres sizes', () => {
    expect(sizeMiB('32MB')).toBe(32);
    expect(sizeMiB('512kB')).toBe(0.5);
    expect(sizeMiB('1GB')).toBe(1024);
    expect(() => sizeMiB('lots')).toThrow(/not a Postgres size/);
  });

  it('adds every bounded part, and each setting moves it by exactly its own size', () => {
    const env = parseEnv({});
    const base = memoryBudget(env, 1, true);
    expect(base.ceilingMiB).toBe(Object.values(base.parts).reduce((a, b) => a + b, 0));
    expect(base.parts.bm25Cache).toBe(256);
    const bigger = memoryBudget(
      parseEnv({
        BM25_CACHE_MB: '512',
        INGEST_WORKER_MEMORY_MB: '256',
        PGLITE_SHARED_BUFFERS: '64MB',
      }),
      2,
      true,
    );
    expect(bigger.parts.bm25Cache).toBe(512);
    expect(bigger.parts.ingestWorkers).toBe(2 * ((base.parts.ingestWorkers ?? 0) - 512 + 256));
    expect(bigger.parts.pglite).toBe((base.parts.pglite ?? 0) + 32);
  });

  it('has no PGlite part on Postgres', () => {
    expect(memoryBudget(parseEnv({}), 1, false).parts.pglite).toBeUndefined();
  });
});
