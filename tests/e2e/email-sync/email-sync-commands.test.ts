import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';
import { createServiceClient, createSyncLog, runCronJob } from '@rag/email-sync';

import { insertChatRows, userChatRows } from '../../integration/email-sync/email-sync-fixtures';
import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { builtService } from '../../support/spawn-server';
import { signUpUser } from '../../support/users';
import { waitUntil } from '../../support/wait';

const ROOT = resolve(import.meta.dirname, '../../..');
const PACKAGE_DIR = join(ROOT, 'services/email-sync');
const dir = mkdtempSync(join(tmpdir(), 'email-sync-cmd-'));
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - (INFO|WARNING|ERROR) - .+$/;

let deps: Deps;
let gw: RunningGateway;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  await signUpUser(deps, 'ann@example.com');
});
afterAll(async () => {
  await gw.close();
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
});

const readLog = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Runs a service command as its own process: `tsx src/<name>.ts` the way `pnpm email-sync…` does, or
 * the same entry from the service's `pnpm build` bundle (shared by the run; starts in a fraction of
 * tsx's time). Each documented command runs once through tsx; the other runs use the bundle.
 */
async function run(name: 'cron-job' | 'main', env: Record<string, string>, via: 'tsx' | 'built') {
  const args =
    via === 'tsx'
      ? ['--import', 'tsx', `src/${name}.ts`]
      : [join(await builtService('email-sync'), `${name}.js`)];
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => output };
}

describe('documented commands', () => {
  it('are the root scripts pnpm email-sync and pnpm email-sync:cron', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(root.scripts['email-sync']).toBe('pnpm --filter @rag/email-sync start');
    expect(root.scripts['email-sync:cron']).toBe('pnpm --filter @rag/email-sync cron');
    expect(pkg.scripts.start).toBe('tsx src/main.ts');
    expect(pkg.scripts.cron).toBe('tsx src/cron-job.ts');
  });
});

describe('cron job (pnpm email-sync:cron)', () => {
  it('health-checks, syncs the last 24 hours and logs the documented line; exit 0', async () => {
    await insertChatRows(deps.db, [
      { conversation_id: 'cron-1', email: 'ANN@example.com' },
      { conversation_id: 'cron-2', email: 'stranger@example.com' },
      {
        conversation_id: 'cron-old',
        email: 'ann@example.com',
        created_at: new Date(Date.now() - 48 * 3600_000),
      },
    ]);
    const log = join(dir, 'cron-ok.log');
    const env = { GATEWAY_URL: gw.url, EMAIL_SYNC_LOG_FILE: log };
    expect(await (await run('cron-job', env, 'tsx')).exited).toBe(0);
    expect(await (await run('cron-job', env, 'built')).exited).toBe(0);
    const lines = readLog(log).trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines.map((l) => l.split(' - ').slice(1).join(' - '))).toEqual([
      'INFO - ✅ Sync hoàn thành: 1 synced, 1 skipped, 2 checked',
      'INFO - ✅ Sync hoàn thành: 0 synced, 1 skipped, 1 checked',
    ]);
    const pairs = (await userChatRows(deps.db)).map((r) => r.conversationId);
    expect(pairs).toContain('cron-1');
    expect(pairs).not.toContain('cron-old');
  }, 120_000);

  it('exits 1 and logs when the gateway is unreachable or refuses the key', async () => {
    const log = join(dir, 'cron-down.log');
    const down = await run(
      'cron-job',
      { GATEWAY_URL: 'http://127.0.0.1:9', EMAIL_SYNC_LOG_FILE: log },
      'built',
    );
    expect(await down.exited).toBe(1);
    expect(readLog(log)).toMatch(/ - ERROR - ❌ Backend không hoạt động!/);

    // The key rule, in-process (same client and job code as the command above).
    const keyed = await createTestDeps({ SERVICE_API_KEY: 'svc-key-abcdef0123456789' });
    const keyedGw = await startGateway(keyed);
    try {
      const wrong = join(dir, 'cron-wrong-key.log');
      const wrongClient = createServiceClient({ gatewayUrl: keyedGw.url, serviceKey: 'nope' });
      expect(
        await runCronJob({ client: wrongClient, log: createSyncLog({ file: wrong, echo: false }) }),
      ).toBe(1);
      expect(readLog(wrong)).toMatch(
        /ERROR - ❌ Backend không hoạt động! \(Không tìm thấy thông tin xác thực\)/,
      );
      const right = join(dir, 'cron-key.log');
      const client = createServiceClient({
        gatewayUrl: keyedGw.url,
        serviceKey: 'svc-key-abcdef0123456789',
      });
      expect(await runCronJob({ client, log: createSyncLog({ file: right, echo: false }) })).toBe(
        0,
      );
      expect(readLog(right)).toMatch(/INFO - ✅ Sync hoàn thành: 0 synced, 0 skipped, 0 checked/);
    } finally {
      await keyedGw.close();
      await keyed.close();
    }
  }, 120_000);

  it('exits 1 with "❌ Sync thất bại" when the sync itself fails', async () => {
    const broken = await createTestDeps();
    const brokenGw = await startGateway(broken);
    try {
      await broken.db.execute(sql`alter table chat_history rename to chat_history_gone`);
      const log = join(dir, 'cron-fail.log');
      const client = createServiceClient({ gatewayUrl: brokenGw.url });
      expect(await runCronJob({ client, log: createSyncLog({ file: log, echo: false }) })).toBe(1);
      expect(readLog(log)).toMatch(
        / - ERROR - ❌ Sync thất bại: 500 - \{"detail":"Lỗi máy chủ nội bộ"\}/,
      );
    } finally {
      await brokenGw.close();
      await broken.close();
    }
  });
});

describe('sync service (pnpm email-sync)', () => {
  it('starts, syncs new rows at once, and stops cleanly on SIGTERM', async () => {
    const log = join(dir, 'service.log');
    const svc = await run(
      'main',
      { GATEWAY_URL: gw.url, SYNC_INTERVAL_S: '3600', EMAIL_SYNC_LOG_FILE: log },
      'tsx',
    );
    try {
      // States, not clocks: the service says it listens, then the row appears (generous bounds).
      await waitUntil(
        () => svc.output().includes('Listening for new chat_history rows'),
        'the sync service to listen',
      );
      await insertChatRows(deps.db, [{ conversation_id: 'spawned-1', email: 'ann@example.com' }]);
      await waitUntil(
        async () => (await userChatRows(deps.db)).some((r) => r.conversationId === 'spawned-1'),
        'the new row to be synced',
      );
    } finally {
      svc.child.kill('SIGTERM');
    }
    expect(await svc.exited).toBe(0);
    const lines = readLog(log).trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines.at(-1)).toMatch(/INFO - Email sync service stopped/);
    expect(svc.output()).toContain('SIGTERM received');
  }, 240_000);
});
