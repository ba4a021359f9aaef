import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DatabaseMessages, findAppError, openPgliteWorker } from '@rag/core/testing';

const dir = mkdtempSync(join(tmpdir(), 'rag-watchdog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded database watchdog', () => {
  it('turns a statement that never answers into 503 errors, a failing ping and onFatal', async () => {
    const database = await openPgliteWorker({
      dataDir: dir,
      // pg_sleep(3600) stands in for a hang: far beyond this stall timeout.
      stallTimeoutMs: 1000,
      settings: {},
    });
    try {
      const fatal = new Promise<Error>((r) => database.onFatal!(r));
      const hung = database.pglite!.query('select pg_sleep(3600)').catch((e: unknown) => e);
      expect((await fatal).message).toMatch(/has not answered/);
      const err = findAppError(await hung);
      expect(err?.httpStatus).toBe(503);
      expect(err?.message).toBe(DatabaseMessages.unavailable);
      // Later requests fail at once with the same error; /health's probe fails too.
      expect(
        findAppError(await database.pglite!.query('select 1').catch((e: unknown) => e))?.httpStatus,
      ).toBe(503);
      await expect(database.ping()).rejects.toThrow(DatabaseMessages.unavailable);
    } finally {
      await database.close();
    }
  });
});
