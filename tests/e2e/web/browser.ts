import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Every source file under `dir` (no node_modules or builds), in a stable order. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else out.push(path);
  }
  return out;
}

let built: string | undefined;

/**
 * The web app built once per set of sources: test files that drive the browser share one build (kept
 * under the temporary directory, named by the hash of services/web and the client it bundles).
 */
export function builtWebApp(): string {
  if (built && existsSync(join(built, 'index.html'))) return built;
  const hash = createHash('sha256');
  for (const dir of ['services/web', 'packages/client/src'])
    for (const file of sourceFiles(join(REPO, dir))) hash.update(file).update(readFileSync(file));
  const dir = join(tmpdir(), `rag-web-build-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'index.html'))) {
    // Built aside, then moved in whole: a parallel test file sees a complete build or none.
    const scratch = `${dir}.${process.pid}`;
    buildWebApp(scratch);
    try {
      renameSync(scratch, dir);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return (built = dir);
}
