// `pnpm bench ingest`: the shared corpus through the real ingestion pipeline (store → parse → chunk →
// embed → index, hashing embedder, embedded PGlite + pgvector/BM25). Reports pages/s, chunks/s, peak
// memory, and the ratio of the pipeline's time on the PDFs to bare pdf.js text extraction of the same
// PDFs measured in the same run (the floor any PDF ingestion pays).
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import {
  createDeps,
  ingestFile,
  openPdf,
  openPglite,
  pageText,
  parseEnv,
  type Deps,
} from '@rag/core/testing';

import { BENCH_USER, corpusDir, manifest, type CorpusEntry as Entry } from './lib/corpus-manifest';

import { machineInfo } from './lib/machine';

const here = dirname(fileURLToPath(import.meta.url));
const USER = BENCH_USER;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

/** Bare pdf.js: open each PDF and extract every page's text; nothing else. */
async function extractPdfs(files: Entry[]): Promise<{ ms: number; pages: number }> {
  let pages = 0;
  const t0 = performance.now();
  for (const e of files) {
    try {
      const doc = await openPdf(new Uint8Array(readFileSync(join(corpusDir, e.file))));
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        await pageText(page);
        page.cleanup();
        pages++;
      }
      await doc.destroy();
    } catch {
      // Encrypted / broken files fail here too; the pipeline refuses them the same way.
    }
  }
  return { ms: performance.now() - t0, pages };
}

async function ingestAll(deps: Deps, files: Entry[]) {
  let chunks = 0;
  let pages = 0;
  let refused = 0;
  const t0 = performance.now();
  for (const e of files) {
    try {
      const r = await ingestFile(deps, {
        userId: USER,
        filename: e.file.split('/').pop()!,
        source: createReadStream(join(corpusDir, e.file)),
      });
      chunks += r.chunksCount;
      pages += r.pageCount ?? 0;
    } catch {
      refused++;
    }
  }
  return { ms: performance.now() - t0, chunks, pages, refused };
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const deps = await createDeps(
  // OCR off: the scanned corpus PDF would otherwise dominate the ratio (OCR is bench/ocr.bench.ts).
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', EMBEDDING_PROVIDER: 'hashing', OCR: 'off' }),
  {
    database: await openPglite(),
    log: pino({ level: 'silent' }),
  },
);
const pdfs = manifest.filter((e) => e.kind === 'pdf');
const others = manifest.filter((e) => e.kind !== 'pdf');

// Warm-up (module loading, JIT) for both sides, then the measured runs.
await extractPdfs(pdfs.slice(0, 2));
await ingestAll(deps, pdfs.slice(0, 2));
await deps.vectorIndex.reset(USER);
await deps.db.delete((await import('@rag/core/testing')).schema.files);

const bare = await extractPdfs(pdfs);
const pdfRun = await ingestAll(deps, pdfs);
// Per format: chunks/s of each kind of document through the same pipeline.
const perFormat: Record<
  string,
  { files: number; chunks: number; seconds: number; chunksPerSecond: number }
> = {};
const pdfFormat = { files: pdfs.length, chunks: pdfRun.chunks, ms: pdfRun.ms };
const otherRun = { ms: 0, chunks: 0, pages: 0, refused: 0 };
for (const kind of [...new Set(others.map((e) => e.kind))].sort()) {
  const run = await ingestAll(
    deps,
    others.filter((e) => e.kind === kind),
  );
  otherRun.ms += run.ms;
  otherRun.chunks += run.chunks;
  otherRun.refused += run.refused;
  perFormat[kind] = {
    files: others.filter((e) => e.kind === kind).length,
    chunks: run.chunks,
    seconds: Math.round(run.ms) / 1000,
    chunksPerSecond: Math.round((run.chunks / run.ms) * 1000 * 10) / 10,
  };
}
perFormat.pdf = {
  files: pdfFormat.files,
  chunks: pdfFormat.chunks,
  seconds: Math.round(pdfFormat.ms) / 1000,
  chunksPerSecond: Math.round((pdfFormat.chunks / pdfFormat.ms) * 1000 * 10) / 10,
};
clearInterval(sampler);
await deps.close();
rmSync(dataDir, { recursive: true, force: true });

const totalMs = pdfRun.ms + otherRun.ms;
const chunks = pdfRun.chunks + otherRun.chunks;
const bytes = manifest.reduce((s, e) => s + e.size, 0);
const result = {
  benchmark: 'ingest',
  machine: machineInfo(),
  embedder: 'hashing-v1 (768)',
  vectorIndex: 'pgvector+bm25 on embedded PGlite',
  documents: manifest.length,
  refused: pdfRun.refused + otherRun.refused,
  megabytes: Math.round((bytes / 1e6) * 10) / 10,
  totalSeconds: Math.round(totalMs) / 1000,
  chunks,
  chunksPerSecond: Math.round((chunks / totalMs) * 1000 * 10) / 10,
  pdf: {
    files: pdfs.length,
    pages: pdfRun.pages,
    pagesPerSecond: Math.round((pdfRun.pages / pdfRun.ms) * 1000 * 10) / 10,
    pipelineSeconds: Math.round(pdfRun.ms) / 1000,
    barePdfjsSeconds: Math.round(bare.ms) / 1000,
    ratioToBarePdfjs: Math.round((pdfRun.ms / bare.ms) * 100) / 100,
    goalRatio: 1.3,
  },
  perFormat,
  peakRssMB: Math.round(peakRss / 2 ** 20),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `ingest: ${result.documents} docs (${result.megabytes} MB, ${result.refused} refused) in ${result.totalSeconds}s, ` +
    `${result.chunksPerSecond} chunks/s, PDF ${result.pdf.pagesPerSecond} pages/s, ` +
    `pipeline/bare-pdf.js ${result.pdf.ratioToBarePdfjs}x (goal ≤ 1.3), peak RSS ${result.peakRssMB} MB; chunks/s ` +
    Object.entries(perFormat)
      .map(([k, f]) => `${k} ${f.chunksPerSecond}`)
      .join(', '),
);
