#!/usr/bin/env node
// Makes `npm start` / `npm test` work on a machine that has only Node and npm:
// finds pnpm (or runs the pinned one through npx), installs the workspace, then runs the script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { pnpmCommand } from './pnpm.mjs';

const [script, ...args] = process.argv.slice(2);

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status ?? 1;
}

const [cmd, prefix] = pnpmCommand();
const install = ['install', ...(existsSync('pnpm-lock.yaml') ? ['--frozen-lockfile'] : [])];
let status = run(cmd, [...prefix, ...install, '--reporter=append-only']);
if (status === 0 && script) status = run(cmd, [...prefix, 'run', script, ...args]);
process.exit(status);
