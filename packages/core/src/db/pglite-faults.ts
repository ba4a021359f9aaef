import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Errors a data directory the database owns never returns while healthy: read-only or immutable
 * files, a full disk, a failing device. (ENOENT/EEXIST are routine: Postgres probes for files.)
 */
const FAULT_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO']);

/** The synchronous calls Emscripten's NODEFS makes for PGlite's files. */
const CALLS = [
  'openSync',
  'writeSync',
  'fsyncSync',
  'fdatasyncSync',
  'ftruncateSync',
  'truncateSync',
  'renameSync',
  'unlinkSync',
  'mkdirSync',
  'rmdirSync',
  'utimesSync',
  'futimesSync',
] as const;

/**
 * Reports storage faults of this thread's `fs` calls to `report` as they happen (the call still
 * fails as before). Only for the worker that hosts PGlite: each thread has its own `fs` module.
 */
export function watchStorageFaults(report: (code: string, syscall: string) => void) {
  for (const name of CALLS) {
    // By name: the twelve calls have twelve signatures, and the wrapper serves them all alike.
    const original: unknown = Reflect.get(fs, name);
    if (typeof original !== 'function') continue;
    Reflect.set(fs, name, function (this: unknown, ...args: unknown[]): unknown {
      try {
        const result: unknown = Reflect.apply(original, this, args);
        return result;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code && FAULT_CODES.has(code)) report(code, name.replace(/Sync$/, ''));
        throw e;
      }
    });
  }
  syncBuiltinESMExports();
}
