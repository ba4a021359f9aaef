// `pnpm bench index-build [--chunks N]`: 100,000 chunks for one user through the pgvector + BM25 index
// (embedded PGlite on disk, hashing embedder). Reports insert throughput (chunks/s, BM25 statistics
// included), the HNSW build time over the full table (one pass, and the index's stepped build), query latency with the index, and — as the
// same-run baseline that motivates building the index in one pass — the per-chunk cost of maintaining
// HNSW row by row on a sample.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  createHashingEmbedder,
  createPgvectorIndex,
  openPglite,
  type ChunkRecord,
} from '@rag/core/testing';

import { machineInfo } from './lib/machine';
import { formatBuilds, scifactBuild, sqlDumpBuild } from './lib/pipeline-build';

const here = dirname(fileURLToPath(import.meta.url));
const argOnly = process.argv.indexOf('--only');
const only = argOnly > 0 ? process.argv[argOnly + 1] : undefined;

// Part 1 (`--only pipeline`): builds through the real upload pipeline (jobs, worker pool, index).
if (only !== 'table') {
  const corpusDir = join(here, '../../shared/corpus');
  const argBase = process.argv.indexOf('--baseline');
  const scifact = await scifactBuild(
    corpusDir,
    argBase > 0 ? Number(process.argv[argBase + 1]) : 500,
  );
  const sqlDump = await sqlDumpBuild(corpusDir);
  const formats = await formatBuilds(corpusDir);
  const b = scifact.baseline;
  const pipeline = {
    benchmark: 'index-build-pipeline',
    machine: machineInfo(),
    loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
    scifact: scifact.full,
    baseline: {
      ...b,
      wallRatio: Math.round((b.oneByOne.seconds / b.bulk.seconds) * 10) / 10,
      cpuRatio: Math.round((b.oneByOne.cpuSeconds / b.bulk.cpuSeconds) * 10) / 10,
    },
    sqlDump,
    formats,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results/index-build-pipeline.json'),
    `${JSON.stringify(pipeline, null, 2)}\n`,
  );
  console.log(
    `index-build pipeline: scifact ${scifact.full.files} records → ${scifact.full.chunks} chunks in ${scifact.full.seconds}s ` +
      `(CPU ${scifact.full.cpuSeconds}s); first ${b.records} one by one ${b.oneByOne.seconds}s vs bulk ${b.bulk.seconds}s ` +
      `(×${pipeline.baseline.wallRatio} wall, ×${pipeline.baseline.cpuRatio} CPU); SQL dump ${sqlDump.chunks} chunks in ${sqlDump.seconds}s; ` +
      Object.entries(formats)
        .map(([k, v]) => `${k} ${v.chunksPerSecond} chunks/s`)
        .join(', '),
  );
  if (only === 'pipeline') process.exit(0);
}
const argChunks = process.argv.indexOf('--chunks');
const TOTAL = argChunks > 0 ? Number(process.argv[argChunks + 1]) : 100_000;
const BATCH = 500;
const SAMPLE = 2_000;
const USER = randomUUID();

// Real text to cut chunks from: English RFC prose, Vietnamese verse, Vietnamese and English Markdown.
const corpus = [
  'txt/rfc2616.txt',
  'txt/truyenkieu_raw.txt',
  'md/thinking-in-react.md',
  'md/mammoth-README.md',
]
  .map((f) => readFileSync(join(here, '../../shared/corpus', f), 'utf8'))
  .join('\n\n');
function chunkText(i: number): string {
  const start = (i * 613) % (corpus.length - 800);
  return `${corpus.slice(start, start + 700 + (i % 100))} [${i}]`;
}

const embedder = createHashingEmbedder();
async function records(from: number, to: number, fileId: string): Promise<ChunkRecord[]> {
  const texts = Array.from({ length: to - from }, (_, k) => chunkText(from + k));
  const vectors = await embedder.embed(texts);
  return texts.map((content, k) => ({
    id: randomUUID(),
    userId: USER,
    fileId,
    filename: 'bench.txt',
    chunkIndex: from + k,
    content,
    page: null,
    pageLabel: null,
    section: null,
    charStart: 0,
    charEnd: content.length,
    embedding: vectors[k]!,
  }));
}

const dir = mkdtempSync(join(tmpdir(), 'bench-index-'));
const database = await openPglite(join(dir, 'pg'));
await database.migrate();
const index = createPgvectorIndex({
  db: database.db,
  embedder,
  hnswMinChunks: Number.MAX_SAFE_INTEGER,
});
await index.init();

// Baseline: HNSW maintained row by row (index present before the inserts), on a sample.
const sampleFile = randomUUID();
await index.ann.build();
let t0 = performance.now();
for (let i = 0; i < SAMPLE; i += BATCH)
  await index.upsert(USER, await records(i, Math.min(i + BATCH, SAMPLE), sampleFile));
const incrementalMsPerChunk = (performance.now() - t0) / SAMPLE;
await index.reset(USER);
await database.pglite.exec(`drop index ${index.ann.name}`);
const fresh = createPgvectorIndex({
  db: database.db,
  embedder,
  hnswMinChunks: Number.MAX_SAFE_INTEGER,
});
await fresh.init();

// Insert: embedding timed apart from the index writes.
let embedMs = 0;
let insertMs = 0;
const fileId = randomUUID();
let peakRss = 0;
for (let i = 0; i < TOTAL; i += BATCH) {
  let t = performance.now();
  const batch = await records(i, Math.min(i + BATCH, TOTAL), fileId);
  embedMs += performance.now() - t;
  t = performance.now();
  await fresh.upsert(USER, batch);
  insertMs += performance.now() - t;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if ((i / BATCH) % 20 === 0) process.stderr.write(`\r${i + batch.length}/${TOTAL}`);
}
process.stderr.write('\n');

// HNSW over the full table in one pass (one `create index`): what a bulk build costs by itself, timed
// and dropped. Then the build the index really does on the embedded database: a shadow table filled in
// short steps, so requests are served between them (`pgvector-ann.ts`), slower than one pass.
t0 = performance.now();
await database.pglite.exec(
  `create index bench_one_pass_hnsw on chunks using hnsw ((embedding::vector(${embedder.dimensions})) vector_cosine_ops)`,
);
const onePassMs = performance.now() - t0;
await database.pglite.exec('drop index bench_one_pass_hnsw');
t0 = performance.now();
await fresh.ann.build();
const buildMs = performance.now() - t0;

async function latency(mode: 'semantic' | 'keyword' | 'hybrid'): Promise<number> {
  const times: number[] = [];
  for (let q = 0; q < 20; q++) {
    const text = chunkText(q * 4999).slice(100, 160);
    const t = performance.now();
    await fresh.search({ userId: USER, mode, text, limit: 10, alpha: 0.7 });
    times.push(performance.now() - t);
  }
  return Math.round(times.sort((a, b) => a - b)[10]! * 10) / 10;
}
const queryMs = {
  semantic: await latency('semantic'),
  keyword: await latency('keyword'),
  hybrid: await latency('hybrid'),
};
const count = await fresh.count(USER);
await database.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  benchmark: 'index-build',
  machine: machineInfo(),
  chunks: count,
  embedder: 'hashing-v1 (768)',
  embedChunksPerSecond: Math.round((TOTAL / embedMs) * 1000),
  insertChunksPerSecond: Math.round((TOTAL / insertMs) * 1000),
  insertSeconds: Math.round(insertMs) / 1000,
  hnswOnePassSeconds: Math.round(onePassMs) / 1000,
  hnswSteppedBuildSeconds: Math.round(buildMs) / 1000,
  hnswBuildMsPerChunk: Math.round((buildMs / TOTAL) * 1000) / 1000,
  baselineIncrementalHnswMsPerChunk: Math.round(incrementalMsPerChunk * 1000) / 1000,
  incrementalVsBulkRatio:
    Math.round((incrementalMsPerChunk / (buildMs / TOTAL + insertMs / TOTAL)) * 10) / 10,
  medianQueryMs: queryMs,
  peakRssMB: Math.round(peakRss / 2 ** 20),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/index-build.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `index-build: ${count} chunks, insert ${result.insertChunksPerSecond} chunks/s (${result.insertSeconds}s), ` +
    `HNSW one pass ${result.hnswOnePassSeconds}s, stepped (the index's own build) ${result.hnswSteppedBuildSeconds}s; row-by-row HNSW costs ${result.incrementalVsBulkRatio}x insert+stepped build; ` +
    `median query ms semantic ${queryMs.semantic} / keyword ${queryMs.keyword} / hybrid ${queryMs.hybrid}`,
);
