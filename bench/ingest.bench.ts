// `pnpm bench ingest [--rounds 5]`: the shared corpus through the real ingestion pipeline (store → parse →
// chunk → embed → index, hashing embedder, embedded PGlite + pgvector/BM25). Reports pages/s, chunks/s,
// peak memory, and the ratio of the pipeline's time on the PDFs to bare pdf.js text extraction of the
// same PDFs (the floor any PDF ingestion pays), measured interleaved: per PDF and round, bare and the
// pipeline back to back (alternating which goes first), each PDF's median over the rounds. One bare
// pass then one pipeline pass put the machine's load drift between the two sides (1.40–1.52 over four
// such runs of one tree on the shared machine). Bare extraction runs in a thread of its own, as the
// pipeline's parse does (`bareThread`). The ratio is measured twice: on an in-memory PGlite in this
// thread (the figure the goal has been tracked on), and on the database `npm start` runs.
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { pino } from 'pino';

import { createDeps, ingestFile, openPglite, parseEnv, schema, type Deps } from '@rag/core/testing';

import { BENCH_USER, corpusDir, manifest, type CorpusEntry as Entry } from './lib/corpus-manifest';

import { machineInfo } from './lib/machine';
import { bareThread, median, removeUpload } from './lib/pdf-ratio';

const here = dirname(fileURLToPath(import.meta.url));
const USER = BENCH_USER;
const rounds = Number(
  parseArgs({ options: { rounds: { type: 'string', default: '5' } } }).values.rounds,
);
if (!(Number.isInteger(rounds) && rounds >= 1))
  throw new Error('--rounds must be a positive integer');

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

/** One upload through the whole pipeline, answered when indexed (null: refused). */
async function ingestOne(deps: Deps, e: Entry) {
  try {
    return await ingestFile(deps, {
      userId: USER,
      filename: e.file.split('/').pop()!,
      source: createReadStream(join(corpusDir, e.file)),
    });
  } catch {
    return null;
  }
}

/**
 * Every PDF `rounds` times, bare pdf.js and the pipeline back to back (which goes first alternates by
 * PDF and round); each upload is removed after its round so the next uploads the same bytes as new.
 * Sums of the per-PDF medians, and the pages of one round.
 */
async function pdfRounds(deps: Deps, files: Entry[]) {
  const bareMs = files.map((): number[] => []);
  const pipeMs = files.map((): number[] => []);
  let pages = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [i, e] of files.entries()) {
      const timeBare = async () => {
        const t0 = performance.now();
        await bare.extract(e);
        bareMs[i]?.push(performance.now() - t0);
      };
      if ((r + i) % 2 === 0) await timeBare();
      const t0 = performance.now();
      const done = await ingestOne(deps, e);
      pipeMs[i]?.push(performance.now() - t0);
      if ((r + i) % 2 === 1) await timeBare();
      if (r === 0) pages += done?.pageCount ?? 0;
      if (done) await removeUpload(deps, USER, done.fileId);
    }
  }
  const total = (xs: number[][]) => xs.reduce((s, x) => s + median(x), 0);
  return { bareMs: total(bareMs), pipeMs: total(pipeMs), pages };
}

async function ingestAll(deps: Deps, files: Entry[]) {
  let chunks = 0;
  let pages = 0;
  let refused = 0;
  const t0 = performance.now();
  for (const e of files) {
    const r = await ingestOne(deps, e);
    chunks += r?.chunksCount ?? 0;
    pages += r?.pageCount ?? 0;
    refused += r ? 0 : 1;
  }
  return { ms: performance.now() - t0, chunks, pages, refused };
}

/**
 * A fresh embedded database and its deps (OCR off: the scanned corpus PDF would otherwise dominate the
 * ratio; OCR is bench/ocr.bench.ts), warmed up (module loading, JIT) on two PDFs, then emptied. By
 * default an in-memory PGlite on this thread (how the ratio has been measured since session 8); with
 * `server`, the database `npm start` runs: PGlite in its worker thread, files under DATA_DIR/pg.
 */
async function freshDeps(server = false) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const log = pino({ level: 'silent' });
  const deps = await createDeps(
    parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', EMBEDDING_PROVIDER: 'hashing', OCR: 'off' }),
    server ? { log } : { database: await openPglite(), log },
  );
  for (const e of pdfs.slice(0, 2)) await bare.extract(e);
  await ingestAll(deps, pdfs.slice(0, 2));
  await deps.vectorIndex.reset(USER);
  await deps.db.delete(schema.files);
  return {
    deps,
    async close() {
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const pdfs = manifest.filter((e) => e.kind === 'pdf');
const bare = bareThread();
const others = manifest.filter((e) => e.kind !== 'pdf');

// Throughput and peak memory: the whole corpus once, per format, into one database.
const once = await freshDeps();
const perFormat: Record<
  string,
  { files: number; chunks: number; seconds: number; chunksPerSecond: number }
> = {};
let totalMs = 0;
let chunks = 0;
let refused = 0;
for (const kind of ['pdf', ...new Set(others.map((e) => e.kind))].sort()) {
  const files = manifest.filter((e) => e.kind === kind);
  const run = await ingestAll(once.deps, files);
  totalMs += run.ms;
  chunks += run.chunks;
  refused += run.refused;
  perFormat[kind] = {
    files: files.length,
    chunks: run.chunks,
    seconds: Math.round(run.ms) / 1000,
    chunksPerSecond: Math.round((run.chunks / run.ms) * 1000 * 10) / 10,
  };
}
clearInterval(sampler);
await once.close();

// The ratio to bare pdf.js, interleaved, on a database of its own (the rounds' removed rows stay in
// the in-memory database: they are kept out of the peak memory above).
const ratioDeps = await freshDeps();
const pdfRun = await pdfRounds(ratioDeps.deps, pdfs);
await ratioDeps.close();
// The same on the server's own embedded database (worker thread, on disk).
const serverDeps = await freshDeps(true);
const serverRun = await pdfRounds(serverDeps.deps, pdfs);
await serverDeps.close();
await bare.close();
const ratio = (run: { pipeMs: number; bareMs: number }) =>
  Math.round((run.pipeMs / run.bareMs) * 100) / 100;

const bytes = manifest.reduce((s, e) => s + e.size, 0);
const result = {
  benchmark: 'ingest',
  machine: machineInfo(),
  embedder: 'hashing-v1 (768)',
  vectorIndex: 'pgvector+bm25 on embedded PGlite',
  documents: manifest.length,
  refused,
  megabytes: Math.round((bytes / 1e6) * 10) / 10,
  totalSeconds: Math.round(totalMs) / 1000,
  chunks,
  chunksPerSecond: Math.round((chunks / totalMs) * 1000 * 10) / 10,
  pdf: {
    files: pdfs.length,
    pages: pdfRun.pages,
    pagesPerSecond: Math.round((pdfRun.pages / pdfRun.pipeMs) * 1000 * 10) / 10,
    rounds,
    pipelineSeconds: Math.round(pdfRun.pipeMs) / 1000,
    barePdfjsSeconds: Math.round(pdfRun.bareMs) / 1000,
    ratioToBarePdfjs: ratio(pdfRun),
    goalRatio: 1.3,
    serverDatabase: {
      database: 'PGlite worker thread, DATA_DIR/pg on disk (as `npm start`)',
      pipelineSeconds: Math.round(serverRun.pipeMs) / 1000,
      barePdfjsSeconds: Math.round(serverRun.bareMs) / 1000,
      ratioToBarePdfjs: ratio(serverRun),
    },
  },
  perFormat,
  peakRssMB: Math.round(peakRss / 2 ** 20),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `ingest: ${result.documents} docs (${result.megabytes} MB, ${result.refused} refused) in ${result.totalSeconds}s, ` +
    `${result.chunksPerSecond} chunks/s, PDF ${result.pdf.pagesPerSecond} pages/s, ` +
    `pipeline/bare-pdf.js ${result.pdf.ratioToBarePdfjs}x (goal ≤ 1.3; medians of ${rounds} interleaved rounds; ` +
    `${result.pdf.serverDatabase.ratioToBarePdfjs}x on the server's embedded database), peak RSS ${result.peakRssMB} MB; chunks/s ` +
    Object.entries(perFormat)
      .map(([k, f]) => `${k} ${f.chunksPerSecond}`)
      .join(', '),
);
