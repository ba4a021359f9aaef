import { describe, expect, it } from 'vitest';

import { MIN_PGVECTOR, pgvectorVersionProblem } from '@rag/core/testing';

describe('pgvector version check', () => {
  it('accepts the version with iterative index scans and every later one', () => {
    for (const v of [MIN_PGVECTOR, '0.8.1', '0.8.6', '0.10.0', '1.0.0']) {
      expect(pgvectorVersionProblem(v)).toBeNull();
    }
  });

  it('refuses older versions, naming the fix', () => {
    for (const v of ['0.7.4', '0.5.1', '0.4.0']) {
      const problem = pgvectorVersionProblem(v);
      expect(problem).toContain(`pgvector ${v}`);
      expect(problem).toContain('ALTER EXTENSION vector UPDATE');
    }
  });
});
