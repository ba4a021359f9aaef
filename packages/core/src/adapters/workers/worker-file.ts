import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the worker entry is: next to this module when running from sources (a bootstrap that loads
 * the TypeScript), or `ingest-worker.js` beside the bundle's entry (esbuild emits it as its own entry;
 * this module may be inlined into a chunk one folder below).
 */
export function ingestWorkerFile(from = fileURLToPath(import.meta.url)): string {
  if (from.endsWith('.ts')) return join(dirname(from), 'ingest-worker-bootstrap.mjs');
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'ingest-worker.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(
        `ingest-worker.js not found above ${from}; the build must emit it as an entry`,
      );
  }
}
