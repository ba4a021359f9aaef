// `pnpm bench memory`: resident memory of the whole `npm start` process tree (npm + the server with its
// PGlite worker thread) on the embedded default: idle after start-up, after ingesting every document of
// the shared corpus through `POST /upload`, and at peak during 50 concurrent answer streams. Also the
// embedded database's own share (a process hosting only the PGlite worker, minus a bare node process).
// Goal (issue 13 item 3): idle ≤ 512 MiB. Writes bench/results/memory.json.
import { readdirSync, readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultIngestWorkers, parseEnv } from '@rag/core/testing';

import { memoryBudget } from '../packages/core/src/lib/memory-budget';
import { machineInfo } from './lib/machine';
import {
  ensureBuilt,
  GATEWAY_DIR,
  median,
  REPO_ROOT,
  startProcess,
  treeProcesses,
  treeRssMiB,
} from './lib/server-process';

const CORPUS = join(REPO_ROOT, '../shared/corpus');
const KINDS = ['docx', 'md', 'pdf', 'sql', 'txt'];
const STREAMS = 50;
/** The server's defaults (env.ts PGLITE_*), for the worker-only process. */
const SETTINGS = { shared_buffers: '32MB', work_mem: '4MB', maintenance_work_mem: '64MB' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sampleRss(pid: number, n = 5): Promise<number> {
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    s.push(treeRssMiB(pid));
    await sleep(1000);
  }
  return median(s);
}

await ensureBuilt();

const dataDir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
const server = await startProcess(
  'npm',
  ['--prefix', REPO_ROOT, 'start'],
  {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    MAX_UPLOAD_MB: '50',
    // One account asks the 50 streams: the per-user cap is not what this measures.
    ASK_CONCURRENCY_PER_USER: '1000',
  },
  '/health',
  dataDir,
);
const npmPid = server.child.pid!;
await sleep(5000);
const idle = await sampleRss(npmPid);
const idleTree = treeProcesses(npmPid);
process.stderr.write(`idle: ${idle} MiB\n`);

const api = `${server.url}/api`;
const signup = await fetch(`${api}/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.com', password: 'Bench-pass-1234!' }),
});
const { access_token: token } = (await signup.json()) as { access_token: string };
let peak = idle;
const watcher = setInterval(() => (peak = Math.max(peak, treeRssMiB(npmPid))), 250);

const documents = KINDS.flatMap((k) => readdirSync(join(CORPUS, k)).map((f) => join(k, f)));
const ingested: { file: string; status: number }[] = [];
for (const file of documents) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(CORPUS, file))]), file.split('/').pop());
  const res = await fetch(`${api}/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  await res.arrayBuffer();
  ingested.push({ file, status: res.status });
}
const ingestPeak = peak;
await sleep(3000);
const afterIngest = await sampleRss(npmPid);
process.stderr.write(
  `after ingesting ${documents.length} documents: ${afterIngest} MiB (peak ${ingestPeak})\n`,
);

peak = afterIngest;
const questions = ['What is HTTP?', 'Điều kiện kết hôn là gì?', 'Which tables hold film rentals?'];
await Promise.all(
  Array.from({ length: STREAMS }, async (_, i) => {
    const res = await fetch(`${api}/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ question: questions[i % questions.length] }),
    });
    await res.arrayBuffer();
  }),
);
const streamsPeak = peak;
clearInterval(watcher);
await sleep(3000);
const afterStreams = await sampleRss(npmPid);
await server.stop();
// The embedded database's share: a plain node process hosting only the built PGlite worker on the
// DATA_DIR just used (the corpus ingested), one query answered, against a bare node process.
async function aloneRss(script: string, dir: string): Promise<number> {
  const p = await startProcess(process.execPath, ['-e', script], { DATA_DIR: dir }, '/', REPO_ROOT);
  const rss = await sampleRss(p.child.pid!, 3);
  await p.stop();
  return rss;
}
const serve = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
const workerOnly = `
  const { Worker } = require('node:worker_threads');
  const w = new Worker(${JSON.stringify(join(GATEWAY_DIR, 'dist/pglite-worker.js'))}, {
    workerData: { dataDir: require('node:path').join(process.env.DATA_DIR, 'pg'), settings: ${JSON.stringify(SETTINGS)} },
  });
  w.on('message', (m) => {
    if (m.type === 'ready') w.postMessage({ op: 'query', id: 1, sql: 'select count(*) from chunks', params: [], rowMode: 'object', rawTypes: [] });
    if (m.type === 'reply') { ${serve} }
  });`;
const budget = memoryBudget(parseEnv({}), defaultIngestWorkers(), true);
const npmRss = idleTree.find((p) => p.pid === npmPid)?.rssMiB ?? 0;
const bareRss = await aloneRss(serve, dataDir);
const pgliteRss = await aloneRss(workerOnly, dataDir);
rmSync(dataDir, { recursive: true, force: true });

const result = {
  benchmark: 'memory',
  date: new Date().toISOString(),
  machine: machineInfo(),
  unit: 'MiB (RSS of the npm start process tree)',
  idle,
  idleTree,
  afterIngest,
  ingestPeak,
  streams: STREAMS,
  streamsPeak,
  afterStreams,
  documents: { count: documents.length, failed: ingested.filter((d) => d.status !== 200) },
  embeddedDatabaseShare: {
    pgliteWorkerProcess: pgliteRss,
    bareNode: bareRss,
    share: pgliteRss - bareRss,
  },
  goalIdleMiB: 512,
  goalMet: idle <= 512,
  // The ceiling the server computes from its settings (and prints at start-up); npm's own process is
  // outside it, so the tree's peaks are compared after subtracting npm's idle RSS.
  ceiling: budget,
  npmMiB: npmRss,
  peaksWithinCeiling: Math.max(ingestPeak, streamsPeak) - npmRss <= budget.ceilingMiB,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(
  join(import.meta.dirname, 'results/memory.json'),
  JSON.stringify(result, null, 2) + '\n',
);
console.log(
  `memory: idle ${idle} MiB (goal ≤ 512 ${result.goalMet ? 'met' : 'NOT met'}), after ingesting ${documents.length} documents ${afterIngest} MiB ` +
    `(peak ${ingestPeak}), peak during ${STREAMS} streams ${streamsPeak} MiB; PGlite's share ≈ ${result.embeddedDatabaseShare.share} MiB; ` +
    `server ceiling ${budget.ceilingMiB} MiB ${result.peaksWithinCeiling ? 'held' : 'EXCEEDED'}`,
);
