import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks work nobody is waiting on interactively (ingestion jobs, index builds, warm-ups). The embedded
 * database serves requests first and such work only when no request waits (db/pglite-scheduler.ts).
 */
const background = new AsyncLocalStorage<true>();

/** Runs `fn` (and everything it starts) as background work. */
export function runAsBackground<T>(fn: () => T): T {
  return background.run(true, fn);
}

/** Runs `fn` as interactive work even when called from background work (e.g. a request it answers). */
export function runAsInteractive<T>(fn: () => T): T {
  return background.exit(fn);
}

export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
