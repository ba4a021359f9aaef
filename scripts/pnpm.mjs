import { spawnSync } from 'node:child_process';

export const PNPM = 'pnpm@12.21.0';

/** The pnpm on PATH when it is the pinned major, else the pinned one through npx. */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('12.')) return ['pnpm', []];
  return ['npx', ['--yes', PNPM]];
}
