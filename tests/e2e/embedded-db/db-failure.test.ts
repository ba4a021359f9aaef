import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DatabaseMessages } from '@rag/core/testing';

import { uploadForm } from '../../support/fixtures';
import { listeningUrl, startGatewayProcess } from '../../support/spawn-server';
import { strongPassword } from '../../support/users';

const dataDir = mkdtempSync(join(tmpdir(), 'rag-db-failure-'));
const pgDir = join(dataDir, 'pg');
const asRoot = process.getuid?.() === 0;

/**
 * Makes the database files unwritable under the running server, as a remount or a failing disk
 * would: immutable as root (root ignores permissions), read-only permissions otherwise.
 */
function breakDatabaseFiles(broken: boolean) {
  const r = asRoot
    ? spawnSync('chattr', ['-R', broken ? '+i' : '-i', pgDir], { encoding: 'utf8' })
    : spawnSync('chmod', ['-R', broken ? 'a-w' : 'u+w', pgDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not change ${pgDir}: ${r.stderr}`);
}

afterAll(() => {
  if (existsSync(pgDir)) breakDatabaseFiles(false);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a failing embedded database (issue 10 item 3)', () => {
  it('answers 503 JSON, reports unhealthy, then exits non-zero instead of wedging', async () => {
    const server = await startGatewayProcess({
      DATA_DIR: dataDir,
      // Long enough for the assertions below on a loaded machine; the exit still follows.
      PGLITE_FAILURE_GRACE_S: '20',
    });
    const { child, exited } = server;
    try {
      const url = await listeningUrl(server);
      const api = `${url}/api`;
      const signup = await fetch(`${api}/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.com', password: strongPassword() }),
      });
      expect(signup.status).toBe(200);
      const { access_token: token } = (await signup.json()) as { access_token: string };
      const upload = (name: string) =>
        fetch(`${api}/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: uploadForm(name, `Nội dung của ${name}.`),
        });
      expect((await upload('before.txt')).status).toBe(200);

      breakDatabaseFiles(true);
      const failed = await upload('after.txt');
      expect(failed.status).toBe(503);
      const body = (await failed.json()) as { detail: string; request_id: string };
      expect(body.detail).toBe(DatabaseMessages.unavailable);
      expect(body.request_id).toBeTruthy();

      // Every database-backed request now fails fast with the same body (nothing hangs).
      const list = await fetch(`${api}/files`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(503);
      expect(((await list.json()) as { detail: string }).detail).toBe(DatabaseMessages.unavailable);

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(503);
      const h = (await health.json()) as { status: string; services: Record<string, string> };
      expect(h.status).toBe('unhealthy');
      expect(h.services.database).toBe('unavailable');

      expect(await exited).toBe(1);
      expect(server.output()).toContain('the embedded database failed');
    } finally {
      child.kill('SIGKILL');
    }
  }, 300_000);
});
