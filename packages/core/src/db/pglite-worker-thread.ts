import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { WorkerOptions } from './pglite-protocol';

/** dist/ (bundled: the worker is its own entry next to main.js) or the TypeScript source (tsx, tests). */
function workerEntry(): URL {
  const candidates = ['./pglite-worker.ts', './pglite-worker.js', '../pglite-worker.js'];
  for (const c of candidates) {
    const url = new URL(c, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`pglite-worker entry not found next to ${fileURLToPath(import.meta.url)}`);
}

/**
 * Starts the thread that hosts PGlite. From TypeScript sources (tsx) the worker must register tsx
 * itself: Node 20 does not carry the parent's `--import tsx` loader hooks into worker threads.
 */
export function startPgliteWorker(workerData: WorkerOptions): Worker {
  const entry = workerEntry();
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
