// `pnpm bench ask`: latency of POST /api/ask/stream on the embedded default with the extractive answerer:
// request → `start` (goal ≤ 10 ms p50), request → first `content`, request → `end`; one stream at a time,
// then 50 concurrent streams. Baseline, measured in the same run: the HTTP round trip of `GET /api/`.
// Under load (issue 17.4): 10 / 50 / 100 concurrent streams while 10 uploads ingest (first `content`
// p50/p95/p99 and errors; goal p95 ≤ 1 s), the uploads' CPU work running in the ingestion worker pool.
// The client runs in a child process: in-process, the server's database work would delay its reads.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { performance } from 'node:perf_hooks';

import { createParser } from 'eventsource-parser';

import { ASK_DOCS, ASK_QUESTIONS, startAskServer } from './lib/ask-workload';
import { installAskPhases, loopCpuMs, phaseReports } from './lib/ask-phases';
import { installStatementLog, resetShapes, shapeReport } from './lib/statement-log';

installStatementLog();

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, '../../shared/corpus');
const DOCS = ASK_DOCS;
const QUESTIONS = ASK_QUESTIONS;
const SEQUENTIAL = 100;
const CONCURRENT = 50;
// `--load-only` skips the one-at-a-time and plain concurrent phases (e.g. to profile the load scenario);
// `--streams 10,50` picks the loads; LOAD_UPLOADS=<n> the uploads running beside them (default 10; 0 shows
// what the asks alone cost).
const LOAD_ONLY = process.argv.includes('--load-only');
const argStreams = process.argv.indexOf('--streams');
const LOAD_STREAMS =
  argStreams > 0 ? (process.argv[argStreams + 1] ?? '').split(',').map(Number) : [10, 50, 100];
const LOAD_UPLOADS = Number(process.env.LOAD_UPLOADS ?? 10);
/** A mid-sized document for the uploads under load (made unique per upload so none is deduplicated). */
const LOAD_DOC = 'txt/rfc2616.txt';

type Timing = { start: number; firstContent: number; end: number };

// node:http and eventsource-parser's callback API rather than fetch + WHATWG streams: the client shares
// the server's two cores, and undici with TextDecoderStream/EventSourceParserStream cost ~5 ms of CPU
// per stream (256 ms for 50 at once), a load the server would never see from remote clients.
const agent = new http.Agent({ keepAlive: true });

/** GET with the same client as the asks (the baseline round trip). */
function getBody(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(target, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function askOnce(
  url: string,
  token: string,
  question: string,
  fileIds: string[],
): Promise<Timing> {
  const t0 = performance.now();
  const body = JSON.stringify({ question, file_id: fileIds });
  const timing: Partial<Timing> = {};
  await new Promise<void>((resolve, reject) => {
    const req = http.request(
      `${url}/api/ask/stream`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => reject(new Error(`ask failed: ${res.statusCode} ${text}`)));
          return;
        }
        let failure: Error | null = null;
        const parser = createParser({
          onEvent(e) {
            const at = performance.now() - t0;
            if (e.event === 'start') timing.start ??= at;
            if (e.event === 'content') timing.firstContent ??= at;
            if (e.event === 'error') failure ??= new Error(`stream error: ${e.data}`);
            if (e.event === 'end') timing.end = at;
          },
        });
        res.on('data', (c: string) => parser.feed(c));
        res.on('end', () => (failure ? reject(failure) : resolve()));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  if (timing.start === undefined || timing.firstContent === undefined || timing.end === undefined) {
    throw new Error('incomplete stream');
  }
  return timing as Timing;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const summary = (ts: Timing[]) => ({
  start_p50_ms: r2(
    pct(
      ts.map((t) => t.start),
      50,
    ),
  ),
  start_p95_ms: r2(
    pct(
      ts.map((t) => t.start),
      95,
    ),
  ),
  first_content_p50_ms: r2(
    pct(
      ts.map((t) => t.firstContent),
      50,
    ),
  ),
  first_content_p95_ms: r2(
    pct(
      ts.map((t) => t.firstContent),
      95,
    ),
  ),
  end_p50_ms: r2(
    pct(
      ts.map((t) => t.end),
      50,
    ),
  ),
  end_p95_ms: r2(
    pct(
      ts.map((t) => t.end),
      95,
    ),
  ),
});

/** Load scenarios run so far (each one's uploads are new bytes). */
let scenarios = 0;

/**
 * Streams and uploads at once: `streams` concurrent asks while `LOAD_UPLOADS` synchronous uploads run.
 * Reports first `content` percentiles over the streams that answered, and how many failed.
 */
async function loadScenario(url: string, token: string, fileIds: string[], streams: number) {
  // Each scenario's uploads are new bytes: a repeated load (`--streams 50,50`) deduplicates none.
  const round = scenarios++;
  const q = (i: number) => QUESTIONS[i % QUESTIONS.length] as string;
  const bytes = readFileSync(join(CORPUS, LOAD_DOC));
  // Tells the server which scenario the next requests belong to (its phase report).
  await (
    await fetch(`${url}/api/?bench-window=${streams}-${Math.round(performance.now())}`)
  ).arrayBuffer();
  let uploadErrors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const uploads = Array.from({ length: LOAD_UPLOADS }, async (_, i) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([bytes, `\n\nload ${streams}-${round}-${i}\n`]),
      `load-${streams}-${round}-${i}.txt`,
    );
    const res = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    }).catch(() => null);
    if (res?.status !== 200) uploadErrors++;
    await res?.arrayBuffer();
  });
  const asks = await Promise.all(
    Array.from({ length: streams }, (_, i) => askOnce(url, token, q(i), fileIds).catch(() => null)),
  );
  const asksDone = performance.now() - t0;
  await Promise.all(uploads);
  await (await fetch(`${url}/api/?bench-window=end`)).arrayBuffer();
  const ok = asks.filter((t): t is Timing => t !== null);
  const first = ok.map((t) => t.firstContent);
  return {
    streams,
    uploads: LOAD_UPLOADS,
    stream_errors: streams - ok.length,
    upload_errors: uploadErrors,
    first_content_p50_ms: r2(pct(first, 50)),
    first_content_p95_ms: r2(pct(first, 95)),
    first_content_p99_ms: r2(pct(first, 99)),
    streams_wall_ms: r2(asksDone),
    uploads_wall_ms: r2(performance.now() - t0),
    // The client shares the machine's cores with the server: its own CPU over the scenario.
    client_cpu_ms: r2(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0))),
  };
}

/** Client role: runs in its own process so its timings never wait on the server's event loop. */
async function client(url: string, token: string, fileIds: string[]) {
  const q = (i: number) => QUESTIONS[i % QUESTIONS.length] as string;
  for (let i = 0; i < 5; i++) await askOnce(url, token, q(i), fileIds); // warm-up
  const underLoad = [];
  if (LOAD_ONLY) {
    for (const n of LOAD_STREAMS) underLoad.push(await loadScenario(url, token, fileIds, n));
    return { under_load: underLoad };
  }
  const root: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t0 = performance.now();
    await getBody(`${url}/api/`);
    root.push(performance.now() - t0);
  }
  const sequential: Timing[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await askOnce(url, token, q(i), fileIds));
  const t0 = performance.now();
  const concurrent = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => askOnce(url, token, q(i), fileIds)),
  );
  const wall = performance.now() - t0;
  const rootP50 = pct(root, 50);
  for (const n of LOAD_STREAMS) underLoad.push(await loadScenario(url, token, fileIds, n));
  return {
    under_load: underLoad,
    http_round_trip_p50_ms: r2(rootP50),
    sequential: {
      streams: SEQUENTIAL,
      ...summary(sequential),
      start_p50_ratio_to_round_trip: r2(
        pct(
          sequential.map((t) => t.start),
          50,
        ) / rootP50,
      ),
    },
    concurrent: {
      streams: CONCURRENT,
      wall_ms: r2(wall),
      streams_per_s: r2((CONCURRENT / wall) * 1000),
      ...summary(concurrent),
    },
  };
}

function runClient(args: string[]): Promise<Awaited<ReturnType<typeof client>>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', ...args],
      { maxBuffer: 1 << 22 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`client failed: ${stderr}`));
        else
          resolve(
            JSON.parse(stdout.trim().split('\n').at(-1) as string) as Awaited<
              ReturnType<typeof client>
            >,
          );
      },
    );
  });
}

/** Server role: the gateway over a fresh embedded database with a few real documents. */
async function main() {
  const {
    deps,
    server: http,
    url,
    account,
    fileIds,
    close,
  } = await startAskServer('bench-ask', 'bench@example.com');
  installAskPhases(http, deps);
  try {
    // Where the server's time went while the client ran: its event loop, its CPU (all threads) and,
    // on the embedded database, requests' waits for PGlite's one backend per lane.
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const loop0 = loopCpuMs();
    const wall0 = performance.now();
    resetShapes();
    // The child sees the same flags (--load-only, --streams).
    const measured = await runClient([
      url,
      account.accessToken,
      fileIds.join(','),
      ...process.argv.slice(2),
    ]);
    const cpu = process.cpuUsage(cpu0);
    const dbStats = (deps.database.pglite as { stats?: unknown } | undefined)?.stats ?? null;
    const server = {
      wall_ms: r2(performance.now() - wall0),
      event_loop_utilization: r2(performance.eventLoopUtilization(elu0).utilization),
      cpu_ms_all_threads: r2((cpu.user + cpu.system) / 1000),
      cpu_ms_main_thread: loop0 === null ? null : (loopCpuMs() ?? 0) - loop0,
      load_average: os.loadavg().map(r2),
      database_lanes: dbStats,
      // Requests per statement shape, with their estimated worker time (the backend runs one at a time).
      database_statements: shapeReport(),
    };
    const phases = phaseReports();
    const taken = new Set<string>();
    for (const l of measured.under_load)
      Object.assign(l, {
        server: Object.entries(phases).find(
          ([k]) => k.startsWith(`${l.streams}-`) && !taken.has(k) && taken.add(k),
        )?.[1],
      });
    const result = { answerer: deps.llm.name, documents: DOCS.length, ...measured, server };
    mkdirSync(join(here, 'results'), { recursive: true });
    const out = LOAD_ONLY ? 'results/ask-load.json' : 'results/ask.json';
    writeFileSync(join(here, out), JSON.stringify(result, null, 2) + '\n');
    for (const l of result.under_load)
      console.log(
        `ask under load: ${l.streams} streams + ${l.uploads} uploads: first content p50 ${l.first_content_p50_ms} ms, ` +
          `p95 ${l.first_content_p95_ms} ms, p99 ${l.first_content_p99_ms} ms, errors ${l.stream_errors} streams / ` +
          `${l.upload_errors} uploads (goal p95 ≤ 1000 ms); uploads done at ${Math.round(l.uploads_wall_ms)} ms; event loop CPU ` +
          `${(l as { server?: { loop_cpu_ms_per_ask?: number | null } }).server?.loop_cpu_ms_per_ask ?? '?'} ms per ask`,
      );
    for (const l of result.under_load)
      console.log(
        `  server, ${l.streams} streams: ${JSON.stringify((l as { server?: unknown }).server)}`,
      );
    console.log(`server during the client run: ${JSON.stringify(server)}`);
    const { sequential: s, concurrent: c } = result;
    if (!s || !c) return; // --load-only
    console.log(
      `ask: start p50 ${s.start_p50_ms} ms (goal ≤ 10; ${s.start_p50_ratio_to_round_trip}× a plain GET's ` +
        `${result.http_round_trip_p50_ms} ms), first content p50 ${s.first_content_p50_ms} ms, end p50 ` +
        `${s.end_p50_ms} ms; ${CONCURRENT} concurrent: start p95 ${c.start_p95_ms} ms, first content p95 ` +
        `${c.first_content_p95_ms} ms, ${c.streams_per_s} streams/s`,
    );
  } finally {
    await close();
  }
}

const role = process.argv.indexOf('--client');
if (role > 0) {
  const [url, token, ids] = process.argv.slice(role + 1);
  console.log(
    JSON.stringify(await client(url as string, token as string, (ids as string).split(','))),
  );
} else {
  await main();
}
