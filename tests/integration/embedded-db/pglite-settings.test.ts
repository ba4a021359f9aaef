import { describe, expect, it } from 'vitest';

import { openPglite } from '@rag/core/testing';

describe('the in-process embedded database', () => {
  it('creates WAL segments without zero-filling them (wal_init_zero off)', async () => {
    const database = await openPglite();
    try {
      const { rows } = await database.pglite.query<{ wal_init_zero: string }>('show wal_init_zero');
      expect(rows[0]?.wal_init_zero).toBe('off');
    } finally {
      await database.close();
    }
  });
});
