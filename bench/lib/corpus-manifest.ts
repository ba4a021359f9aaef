import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus beside the project (`../shared/corpus`) and its manifest of documents. */
export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
export type CorpusEntry = { file: string; kind: string; size: number };
export const manifest = JSON.parse(
  readFileSync(join(corpusDir, 'manifest.json'), 'utf8'),
) as CorpusEntry[];
/** The one user the ingestion benches upload as. */
export const BENCH_USER = '8e1f3c2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
