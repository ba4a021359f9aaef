import type { SetLanguage } from './engine';

/**
 * Why a keyword peer ranks below the plain BM25 reference, found by reading its scoring code and
 * re-running it with the suspected cause removed (README "Peers" has the numbers). Keyed by engine.
 */
const FINDINGS: Record<string, string> = {};

export function belowReferenceFinding(engine: string, language: SetLanguage): string {
  return FINDINGS[`${engine}:${language}`] ?? FINDINGS[engine] ?? 'not yet explained';
}
