// `pnpm bench forgot-password`: does POST /auth/forgot-password answer an existing account as fast as an
// unknown one (issue 10 item 7)? Interleaved requests over HTTP against the local provider on embedded
// PGlite; reports each median and p95, the existing/unknown ratio (1.0 = indistinguishable), and the
// unauthenticated root route as the baseline measured in the same run.
import { fork } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { createDeps, openPglite, parseEnv, signUp } from '@rag/core/testing';
import { createApp } from '@rag/gateway';

import { machineInfo } from './lib/machine';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 300;
const ACCOUNTS = 20;

// The gateway runs in a child process, so the timing client shares no event loop with it (in one process
// the server's post-response work would be charged to the client's clock).
if (process.argv[2] === 'serve') {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-bench-forgot-'));
  const database = await openPglite();
  await database.migrate();
  const deps = await createDeps(parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
    database,
    log: pino({ level: 'silent' }),
  });
  for (let i = 0; i < ACCOUNTS; i++)
    await signUp(deps, { email: `bench-forgot-${i}@example.com`, password: 'Bench-Passw0rd' });
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  process.send?.((server.address() as AddressInfo).port);
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
    void deps.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
} else {
  await measure();
}

async function measure() {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve(Number(m))),
  );
  const base = `http://127.0.0.1:${port}/api`;
  const existing = Array.from({ length: ACCOUNTS }, (_, i) => `bench-forgot-${i}@example.com`);
  async function timed(op: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await op();
    return performance.now() - start;
  }
  const forgot = (email: string) =>
    fetch(`${base}/auth/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    }).then((r) => r.arrayBuffer());

  const known: number[] = [];
  const unknown: number[] = [];
  const root: number[] = [];
  for (let i = 0; i < ROUNDS + 20; i++) {
    // Alternating order, so background work left by one kind lands on the other as often.
    const pair = [
      async () => known.push(await timed(() => forgot(existing[i % existing.length]!))),
      async () => unknown.push(await timed(() => forgot(`nobody-${i}@example.com`))),
    ];
    if (i % 2) pair.reverse();
    for (const run of pair) await run();
    root.push(await timed(() => fetch(`${base}/`).then((r) => r.arrayBuffer())));
  }

  child.disconnect();

  const stats = (xs: number[]) => {
    const s = xs.slice(20).sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    return { medianMs: Math.round(at(0.5) * 100) / 100, p95Ms: Math.round(at(0.95) * 100) / 100 };
  };
  const results = {
    machine: machineInfo(),
    rounds: ROUNDS,
    existingAccount: stats(known),
    unknownAccount: stats(unknown),
    rootBaseline: stats(root),
    ratios: {
      existingVsUnknownMedian:
        Math.round((stats(known).medianMs / stats(unknown).medianMs) * 100) / 100,
      forgotVsRootMedian: Math.round((stats(unknown).medianMs / stats(root).medianMs) * 100) / 100,
    },
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'forgot-password.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(
    `forgot-password: existing ${results.existingAccount.medianMs} ms vs unknown ${results.unknownAccount.medianMs} ms median ` +
      `(ratio ${results.ratios.existingVsUnknownMedian}); ${results.ratios.forgotVsRootMedian} × GET /api/ (${results.rootBaseline.medianMs} ms)`,
  );
}
