#!/usr/bin/env node
// First half of `npm start` (scripts/start.sh): installs quietly (output shown only when something
// fails) and builds the gateway when dist/ is missing or stale. It exits before the server starts,
// so no launcher process stays around holding memory.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { pnpmCommand } from './pnpm.mjs';

const ROOT = join(import.meta.dirname, '..');
const GATEWAY = join(ROOT, 'services', 'gateway');

function quiet(cmd, args, label) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return;
  process.stderr.write(`${label} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  process.exit(r.status ?? 1);
}

const [pnpm, prefix] = pnpmCommand();
quiet(pnpm, [...prefix, 'install', '--frozen-lockfile', '--reporter=silent'], 'pnpm install');

const { isBuildStale } = await import('./build-service.mjs');
if (isBuildStale(GATEWAY, join(ROOT, 'pnpm-lock.yaml'))) {
  process.stdout.write('Building the gateway (dist/ missing or older than its sources)…\n');
  quiet(process.execPath, [join(GATEWAY, 'build.mjs')], 'build');
}
