// `npx tsx bench/profile-upload.ts [--rounds 3] [--only a.pdf,b.pdf] [--timeline name.pdf]`: where a
// single upload's time goes, per corpus PDF. The same process as `bench/ingest.bench.ts` (in-process
// PGlite, hashing embedder, OCR off, `ingestFile` one file at a time); per PDF and round it times bare
// pdf.js extraction (in a thread of its own, `bareThread`) and the pipeline back to back (alternating
// which goes first), and records every database statement the upload sends (count, time on the
// embedded backend, its SQL's first words).
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { pino } from 'pino';

import { createDeps, ingestFile, openPglite, parseEnv, schema } from '@rag/core/testing';

import { BENCH_USER, corpusDir, manifest, type CorpusEntry as Entry } from './lib/corpus-manifest';
import { bareThread, median, removeUpload } from './lib/pdf-ratio';

const USER = BENCH_USER;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    timeline: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const only = args.only?.split(',');
const pdfs = manifest.filter(
  (e) => e.kind === 'pdf' && (!only || only.some((o) => e.file.endsWith(o))),
);

type Statement = { label: string; start: number; ms: number };
let trace: Statement[] | null = null;
let pendingLabel = '';

const database = await openPglite();
// Every statement (transaction control included) runs through `_runExclusiveQuery`; with `debug` on,
// PGlite logs the statement's text just inside it, which names the entry.
type Exclusive = { _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>; debug: number };
/** PGlite's internal entry, checked (a PGlite version without it fails here, not silently). */
function exclusiveOf(c: object): Exclusive {
  if (!('_runExclusiveQuery' in c) || typeof c._runExclusiveQuery !== 'function')
    throw new Error('this PGlite has no _runExclusiveQuery to trace statements through');
  return c as Exclusive;
}
const client = exclusiveOf(database.pglite);
const exclusive = client._runExclusiveQuery.bind(client);
client._runExclusiveQuery = async <T>(fn: () => Promise<T>): Promise<T> => {
  if (!trace) return exclusive(fn);
  const log = trace;
  return exclusive(async () => {
    pendingLabel = '';
    const start = performance.now();
    try {
      return await fn();
    } finally {
      log.push({ label: pendingLabel, start, ms: performance.now() - start });
    }
  });
};
client.debug = 1;
const consoleLog = console.log.bind(console);
console.log = (...a: unknown[]) => {
  if (a[0] === 'runQuery' || a[0] === 'runExec') {
    pendingLabel = String(a[1]).replace(/\s+/g, ' ').trim().slice(0, 90);
    return;
  }
  consoleLog(...a);
};

const dataDir = mkdtempSync(join(tmpdir(), 'profile-upload-'));
const deps = await createDeps(
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', EMBEDDING_PROVIDER: 'hashing', OCR: 'off' }),
  { database, log: pino({ level: 'silent' }) },
);

// Time spent in each step an upload goes through, per file (wrapped on the shared objects, so the job
// runner's calls are timed too); the rest of the wall time is hand-offs and waiting.
let phases: Map<string, number> | null = null;
function timePhase(target: object, method: string, name: string) {
  const t = target as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>;
  const found = t[method];
  if (!found) return; // not in this tree (A/B runs against older trees)
  const original = found.bind(target);
  t[method] = async (...a: unknown[]) => {
    const p = phases;
    const log = trace;
    const t0 = performance.now();
    try {
      return await original(...a);
    } finally {
      const t1 = performance.now();
      p?.set(name, (p.get(name) ?? 0) + t1 - t0);
      // In the timeline as a step (statements are the entries with SQL).
      log?.push({ label: `[${name}]`, start: t0, ms: t1 - t0 });
    }
  };
}
timePhase(deps.blobs, 'write', 'store bytes');
timePhase(deps.files, 'findIndexedCopy', 'copy lookup');
timePhase(deps.jobs, 'enqueue', 'enqueue');
timePhase(deps.ingestPool, 'readWhole', 'read whole (pool)');
timePhase(deps.ingestPool, 'open', 'open (pool)');
timePhase(deps.jobs, 'progress', 'job progress');
timePhase(deps.files, 'markParsed', 'mark parsed');
timePhase(deps.vectorIndex, 'upsert', 'chunk upsert');
timePhase(deps.jobs, 'finish', 'finish job');
timePhase(deps.jobs, 'commitIndexed', 'commit file + finish job');
timePhase(deps.jobs, 'get', 'read job');
const phaseTotals = new Map<string, number>();

/** Process CPU time (all threads) in ms since `from`: the work done, whatever the machine's load. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
let lastCpu = 0;

const bareExtraction = bareThread();

async function bare(e: Entry): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await bareExtraction.extract(e);
  const ms = performance.now() - t0;
  lastCpu = cpuSince(c0);
  return ms;
}

async function pipeline(
  e: Entry,
): Promise<{ ms: number; cpu: number; statements: Statement[]; steps: Map<string, number> }> {
  trace = [];
  const statements = trace;
  phases = new Map();
  const mine = phases;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let fileId: string | null = null;
  try {
    const r = await ingestFile(deps, {
      userId: USER,
      filename: e.file.split('/').pop()!,
      source: createReadStream(join(corpusDir, e.file)),
    });
    fileId = r.fileId;
  } catch {
    // refused
  }
  const ms = performance.now() - t0;
  const cpu = cpuSince(c0);
  trace = null;
  phases = null;
  let accounted = 0;
  for (const [k, v] of mine) {
    phaseTotals.set(k, (phaseTotals.get(k) ?? 0) + v);
    if (k !== 'open (pool)') accounted += v; // a streamed document's session spans the chunk writes
  }
  const rest = mine.has('open (pool)')
    ? '(rest, streamed files: parse, chunk, embed, waits)'
    : '(rest, whole-read files: hand-offs, waits)';
  phaseTotals.set(rest, (phaseTotals.get(rest) ?? 0) + ms - accounted);
  for (const s of statements) s.start -= t0;
  // Out of the timing: the next round uploads the same bytes as new.
  if (fileId) await removeUpload(deps, USER, fileId);
  return { ms, cpu, statements, steps: mine };
}

// Warm-up of both sides (modules, JIT, the worker thread).
for (const e of pdfs.slice(0, 3)) {
  await bare(e);
  await pipeline(e);
}
await deps.db.delete(schema.ingestJobs);
phaseTotals.clear();

const load = [loadavg()[0] ?? 0];
const rows = new Map<
  string,
  {
    bare: number[];
    pipe: number[];
    statements: number[];
    dbMs: number[];
    pool: number[];
    upsert: number[];
    bareCpu: number[];
    pipeCpu: number[];
  }
>();
const byLabel = new Map<string, { n: number; ms: number }>();
for (let r = 0; r < rounds; r++) {
  for (const e of pdfs) {
    const row = rows.get(e.file) ?? {
      bare: [],
      pipe: [],
      statements: [],
      dbMs: [],
      pool: [],
      upsert: [],
      bareCpu: [],
      pipeCpu: [],
    };
    rows.set(e.file, row);
    let p: Awaited<ReturnType<typeof pipeline>>;
    if ((r + pdfs.indexOf(e)) % 2 === 0) {
      row.bare.push(await bare(e));
      row.bareCpu.push(lastCpu);
      p = await pipeline(e);
    } else {
      p = await pipeline(e);
      row.bare.push(await bare(e));
      row.bareCpu.push(lastCpu);
    }
    row.pipeCpu.push(p.cpu);
    row.pipe.push(p.ms);
    row.pool.push(p.steps.get('read whole (pool)') ?? NaN);
    row.upsert.push(p.steps.get('chunk upsert') ?? 0);
    const sqlOnly = p.statements.filter((x) => !x.label.startsWith('['));
    row.statements.push(sqlOnly.length);
    row.dbMs.push(sqlOnly.reduce((s, x) => s + x.ms, 0));
    for (const s of sqlOnly) {
      const key = s.label.replace(/'[^']*'/g, "'…'").replace(/\$\d+/g, '$');
      const b = byLabel.get(key) ?? { n: 0, ms: 0 };
      b.n++;
      b.ms += s.ms;
      byLabel.set(key, b);
    }
    if (args.timeline?.split(',').some((t) => e.file.endsWith(t)) && r === rounds - 1) {
      consoleLog(`timeline of ${e.file} (${p.ms.toFixed(1)} ms):`);
      for (const s of [...p.statements].sort((a, b) => a.start - b.start))
        consoleLog(
          `  +${s.start.toFixed(1).padStart(7)} ms ${s.ms.toFixed(2).padStart(7)} ms  ${s.label}`,
        );
    }
  }
  load.push(loadavg()[0] ?? 0);
}
await deps.close();
await bareExtraction.close();
rmSync(dataDir, { recursive: true, force: true });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
consoleLog(
  'file (medians)                           bare ms  pipe ms  ratio  stmts  db ms pool ms upsert ms  cpu ratio',
);
let bareAll = 0;
let pipeAll = 0;
let bareCpuAll = 0;
let pipeCpuAll = 0;
for (const [file, r] of rows) {
  bareAll += sum(r.bare);
  pipeAll += sum(r.pipe);
  bareCpuAll += sum(r.bareCpu);
  pipeCpuAll += sum(r.pipeCpu);
  consoleLog(
    `${file.padEnd(40)} ${median(r.bare).toFixed(1).padStart(7)} ${median(r.pipe).toFixed(1).padStart(8)} ` +
      `${(median(r.pipe) / median(r.bare)).toFixed(2).padStart(6)} ${String(median(r.statements)).padStart(6)} ` +
      `${median(r.dbMs).toFixed(1).padStart(6)} ${median(r.pool).toFixed(1).padStart(7)} ` +
      `${median(r.upsert).toFixed(1).padStart(9)} ` +
      `${(sum(r.pipeCpu) / Math.max(sum(r.bareCpu), 0.001)).toFixed(2).padStart(10)}`,
  );
}
consoleLog(
  `all: bare ${(bareAll / rounds / 1000).toFixed(2)} s, pipeline ${(pipeAll / rounds / 1000).toFixed(2)} s per round, ` +
    `ratio ${(pipeAll / bareAll).toFixed(2)}; process CPU bare ${(bareCpuAll / rounds / 1000).toFixed(2)} s, ` +
    `pipeline ${(pipeCpuAll / rounds / 1000).toFixed(2)} s, ratio ${(pipeCpuAll / bareCpuAll).toFixed(2)}; load average ${load.map((l) => l.toFixed(1)).join(' → ')}`,
);
consoleLog('steps per round (ms; open (pool) is the streamed path, not in the rest):');
for (const [k, v] of [...phaseTotals].sort((a, b) => b[1] - a[1]))
  consoleLog(`  ${(v / rounds).toFixed(0).padStart(7)}  ${k}`);
consoleLog('statements over all rounds (count, total ms):');
for (const [label, b] of [...byLabel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  consoleLog(`  ${String(b.n).padStart(5)} ${b.ms.toFixed(0).padStart(7)}  ${label}`);
