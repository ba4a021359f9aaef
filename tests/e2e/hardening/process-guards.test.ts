import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

const guards = resolve(import.meta.dirname, '../../../services/gateway/src/process-guards.ts');
const dir = mkdtempSync(join(tmpdir(), 'rag-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a child Node process that throws asynchronously, with or without the guards installed. */
function runChild(install: boolean, fault: 'rejection' | 'exception') {
  const script = join(dir, `child-${String(install)}-${fault}.ts`);
  writeFileSync(
    script,
    `import { pino } from 'pino';
import { installProcessGuards } from ${JSON.stringify(guards)};
const log = pino({ level: 'error' });
if (${String(install)}) installProcessGuards(log);
if (${JSON.stringify(fault)} === 'rejection') void Promise.reject(new Error('boom-rejection'));
else setImmediate(() => { throw new Error('boom-exception'); });
// Runs only if the process survived the fault (both faults surface before the second turn).
setImmediate(() => setImmediate(() => setImmediate(() => console.log('STILL-SERVING'))));
`,
  );
  return spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: resolve(import.meta.dirname, '../../../services/gateway'),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('process guards (issue 10 item 1)', () => {
  it.each(['rejection', 'exception'] as const)(
    'an unhandled %s is logged and the process keeps running',
    (fault) => {
      const child = runChild(true, fault);
      expect(child.status).toBe(0);
      expect(child.stdout).toContain('STILL-SERVING');
      expect(child.stdout).toContain(`boom-${fault}`);
      expect(child.stdout).toMatch(/"level":50/);
    },
  );

  it('without the guards the same fault kills the process (the test would notice)', () => {
    const child = runChild(false, 'rejection');
    expect(child.status).not.toBe(0);
    expect(child.stdout).not.toContain('STILL-SERVING');
  });
});
