// `pnpm bench auth`: what authentication costs per request with the local provider on embedded PGlite.
// Reports, against baselines measured in the same run: a bearer-token check (JWT verify + session lookup)
// in database round-trips, an authenticated HTTP request (GET /api/auth/session) against the unauthenticated
// root route, and a password login (throttle + argon2id + new session) against a bare argon2id verify.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { createDeps, openPglite, parseEnv, signIn, signUp } from '@rag/core/testing';
import { createApp } from '@rag/gateway';

import { hashPassword, verifyPassword } from '../packages/core/src/adapters/auth/local/passwords';
import { machineInfo } from './lib/machine';

const here = dirname(fileURLToPath(import.meta.url));

/** Operations per second of `op`, run `n` times after a short warm-up. */
async function rate(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await op(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return n / ((performance.now() - start) / 1000);
}

const dataDir = mkdtempSync(join(tmpdir(), 'rag-bench-auth-'));
const database = await openPglite();
await database.migrate();
const deps = await createDeps(parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
  database,
  log: pino({ level: 'silent' }),
});
const server = createApp(deps).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

const password = 'Bench-Passw0rd';
const user = await signUp(deps, { email: 'bench@example.com', password });
const headers = { authorization: `Bearer ${user.accessToken}` };

const selectOne = await rate(2000, () => deps.database.ping());
const verifyToken = await rate(2000, () => deps.auth.verifyAccessToken(user.accessToken));
const root = await rate(1000, () => fetch(`${base}/`).then((r) => r.arrayBuffer()));
const session = await rate(1000, () =>
  fetch(`${base}/auth/session`, { headers }).then((r) => r.arrayBuffer()),
);
const argonHash = await hashPassword(password);
const argon = await rate(40, () => verifyPassword(argonHash, password));
const login = await rate(40, () => signIn(deps, { email: 'bench@example.com', password }));

server.closeAllConnections();
server.close();
await deps.close();
rmSync(dataDir, { recursive: true, force: true });

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const results = {
  machine: machineInfo(),
  opsPerSecond: {
    selectOne: round(selectOne),
    verifyAccessToken: round(verifyToken),
    httpRoot: round(root),
    httpAuthSession: round(session),
    argon2idVerify: round(argon),
    login: round(login),
  },
  ratios: {
    tokenCheckInSelectOnes: round(selectOne / verifyToken, 2),
    authedRequestVsRoot: round(session / root, 2),
    loginVsArgon2Verify: round(login / argon, 2),
  },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'auth.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `auth: token check ${results.opsPerSecond.verifyAccessToken}/s (= ${results.ratios.tokenCheckInSelectOnes} × select 1); ` +
    `GET /auth/session ${results.opsPerSecond.httpAuthSession}/s (${results.ratios.authedRequestVsRoot} × unauthenticated root); ` +
    `login ${results.opsPerSecond.login}/s (${results.ratios.loginVsArgon2Verify} × bare argon2id verify)`,
);
