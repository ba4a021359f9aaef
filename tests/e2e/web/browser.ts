import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { chromium, type Browser } from 'playwright-core';

const REPO = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(REPO, 'tests/e2e/web/screenshots');

/** Debian's chromium (or CHROMIUM_PATH); a missing browser fails loudly, it never skips. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `Chromium not found at ${path}: install it with \`apt-get install -y chromium\` ` +
        '(.ci/run does this) or set CHROMIUM_PATH.',
    );
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Builds services/web into `outDir` (the same `vite build` as `pnpm --filter @rag/web build`). */
export function buildWebApp(outDir: string): void {
  const web = join(REPO, 'services/web');
  const run = spawnSync(
    process.execPath,
    [join(web, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    { cwd: web, encoding: 'utf8' },
  );
  if (run.status !== 0)
    throw new Error(`vite build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
}
