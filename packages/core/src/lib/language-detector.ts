import { createRequire } from 'node:module';

import type * as TinyldModule from 'tinyld';

type Tinyld = typeof TinyldModule;

let tinyld: Tinyld | undefined;

/**
 * tinyld's `detect`, loaded on first use: the package builds its n-gram tables when imported (about
 * 0.3–0.5 s of CPU), which would otherwise be paid by every start-up before the server listens. The
 * gateway preloads it right after listening, so a question rarely pays the synchronous load.
 */
export function detect(...args: Parameters<Tinyld['detect']>): string {
  tinyld ??= createRequire(import.meta.url)('tinyld') as Tinyld;
  return tinyld.detect(...args);
}

/** Loads the detector in the background (called once the server listens). */
export async function preloadLanguageDetector(): Promise<void> {
  tinyld ??= await import('tinyld');
}
