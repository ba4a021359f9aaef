// `pnpm bench startup`: how fast the built server (`node dist/main.js`, embedded PGlite) becomes healthy,
// fresh (empty DATA_DIR: initdb + migrations) and on an existing DATA_DIR, against a bare `node` HTTP
// server started the same way in the same run (the floor any Node server pays on this machine).
// Goals (issue 13 item 2): ≤ 3 s existing, ≤ 10 s fresh. Writes bench/results/startup.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { machineInfo } from './lib/machine';
import { ensureBuilt, GATEWAY_DIR, median, startProcess } from './lib/server-process';

const RUNS = Number(process.env.STARTUP_RUNS ?? 3);
const BARE = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () {
  console.log('listening on http://127.0.0.1:' + this.address().port);
});`;

await ensureBuilt();
const serverEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  // debug: the server's own "start-up timings" line says where the time went.
  LOG_LEVEL: 'debug',
  LOG_FORMAT: 'json',
  NODE_ENV: 'production',
});
const gateway = ['--enable-source-maps', join(GATEWAY_DIR, 'dist/main.js')];

/** The server's phase marks (ms since its process started), from its "start-up timings" line. */
function phases(output: string): Record<string, number> {
  const line = output.split('\n').find((l) => l.includes('"startupMs"'));
  return line ? (JSON.parse(line) as { startupMs: Record<string, number> }).startupMs : {};
}
const phaseSamples: { fresh: Record<string, number>[]; existing: Record<string, number>[] } = {
  fresh: [],
  existing: [],
};
let seeded = 0;

const bare: number[] = [];
const fresh: number[] = [];
const existing: number[] = [];
const dirs: string[] = [];
for (let i = 0; i < RUNS; i++) {
  const b = await startProcess(process.execPath, ['-e', BARE], {}, '/');
  bare.push(b.readyMs);
  await b.stop();

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  dirs.push(dataDir);
  const f = await startProcess(process.execPath, gateway, serverEnv(dataDir));
  fresh.push(f.readyMs);
  phaseSamples.fresh.push(phases(f.output()));
  if (f.output().includes("created from the build's template")) seeded++;
  await f.stop();

  const e = await startProcess(process.execPath, gateway, serverEnv(dataDir));
  existing.push(e.readyMs);
  phaseSamples.existing.push(phases(e.output()));
  await e.stop();
  process.stderr.write(
    `run ${i + 1}: bare ${Math.round(b.readyMs)} ms, fresh ${Math.round(f.readyMs)} ms, existing ${Math.round(e.readyMs)} ms\n`,
  );
}
for (const d of dirs) rmSync(d, { recursive: true, force: true });

const ms = (v: number) => Math.round(v);
/** Median time of each phase mark across runs (ms since the process started). */
const medianPhases = (runs: Record<string, number>[]) =>
  Object.fromEntries(
    Object.keys(runs[0] ?? {}).map((k) => [k, ms(median(runs.map((r) => r[k] ?? NaN)))]),
  );
const m = { bare: median(bare), fresh: median(fresh), existing: median(existing) };
const result = {
  benchmark: 'startup',
  date: new Date().toISOString(),
  machine: machineInfo(),
  runs: RUNS,
  medianMs: { bareNode: ms(m.bare), fresh: ms(m.fresh), existing: ms(m.existing) },
  ratioToBareNode: {
    fresh: Math.round((m.fresh / m.bare) * 10) / 10,
    existing: Math.round((m.existing / m.bare) * 10) / 10,
  },
  samplesMs: { bareNode: bare.map(ms), fresh: fresh.map(ms), existing: existing.map(ms) },
  // Where the time goes: each mark is when that phase ended, in ms since the server's process started.
  phasesMs: {
    fresh: medianPhases(phaseSamples.fresh),
    existing: medianPhases(phaseSamples.existing),
  },
  freshRunsFromTemplate: `${seeded}/${RUNS}`,
  loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
  goalMs: { fresh: 10_000, existing: 3_000 },
  goalMet: m.fresh <= 10_000 && m.existing <= 3_000,
};
const here = import.meta.dirname;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/startup.json'), JSON.stringify(result, null, 2) + '\n');
console.log(
  `startup: healthy after ${result.medianMs.existing} ms on an existing DATA_DIR (${result.ratioToBareNode.existing}× a bare node server's ${result.medianMs.bareNode} ms), ` +
    `${result.medianMs.fresh} ms fresh (${result.ratioToBareNode.fresh}×); goal ≤ 3 s / ≤ 10 s ${result.goalMet ? 'met' : 'NOT met'}`,
);
