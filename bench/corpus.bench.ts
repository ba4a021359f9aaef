// `pnpm bench corpus`: every document of the shared corpus through the real ingestion pipeline (hashing
// embedder, embedded PGlite), checked against the manifest: indexed, or refused with the contract's
// message and nothing left behind. Reports each document's time and chunks; exits 1 when any document
// misbehaves. The default suite runs the same checks on a sample (tests/integration/files/ingest-corpus).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { createDeps, parseEnv } from '@rag/core';

import { corpusManifest } from '../tests/support/corpus';
import { ingestCorpusEntry, type CorpusIngestion } from '../tests/support/corpus-ingestion';
import { machineInfo } from './lib/machine';

const here = dirname(fileURLToPath(import.meta.url));
const USER = '2d4c6e8a-1b3d-4f5a-8c7e-9a0b1c2d3e4f';

const dataDir = mkdtempSync(join(tmpdir(), 'rag-bench-corpus-'));
const deps = await createDeps(
  // OCR off: the corpus manifest expects the scanned document's refusal (OCR has its own bench).
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', OCR: 'off' }),
  { log: pino({ level: 'silent' }) },
);

const documents: (CorpusIngestion & { ms: number })[] = [];
const started = performance.now();
try {
  for (const entry of corpusManifest()) {
    const t0 = performance.now();
    const outcome = await ingestCorpusEntry(deps, USER, entry);
    const ms = Math.round(performance.now() - t0);
    documents.push({ ...outcome, ms });
    const mark = outcome.problems.length ? `✗ ${outcome.problems.join('; ')}` : '✓';
    console.log(
      `${entry.file.padEnd(48)} ${outcome.expected.padEnd(10)} ${String(ms).padStart(6)} ms ${mark}`,
    );
  }
} finally {
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const failed = documents.filter((d) => d.problems.length > 0);
const result = {
  machine: machineInfo(),
  totalMs: Math.round(performance.now() - started),
  documents: documents.length,
  failed: failed.length,
  chunks: documents.reduce((n, d) => n + d.chunks, 0),
  slowest: [...documents]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((d) => `${d.file} ${d.ms} ms`),
  results: documents,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/corpus.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `corpus: ${documents.length - failed.length}/${documents.length} documents as the manifest says, ` +
    `${result.chunks} chunks, ${(result.totalMs / 1000).toFixed(1)} s`,
);
process.exit(failed.length ? 1 : 0);
