import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { GATEWAY_DIR, listeningUrl, startGatewayProcess } from '../../support/spawn-server';
import { waitUntil } from '../../support/wait';

const REPO_ROOT = join(GATEWAY_DIR, '../..');
const dirs: string[] = [];

/** The built gateway (shared by the run's process tests) with only the given settings. */
async function startServer(env: Record<string, string>) {
  const server = await startGatewayProcess(env);
  dirs.push(server.dataDir);
  return server;
}

const waitFor = (check: () => string | null) => waitUntil(check, 'the gateway process', 180_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Each test starts the real gateway (the bundle, or npm): a loaded CI machine gets a generous bound.
describe('gateway process', { timeout: 240_000 }, () => {
  it('refuses a bad setting at start-up with a message naming the variable', async () => {
    const { exited, output } = await startServer({ PORT: 'eighty' });
    expect(await exited).toBe(1);
    expect(output()).toContain('PORT');
  });

  it('logs the active adapters and the docs URL, then shuts down gracefully on SIGTERM', async () => {
    const server = await startServer({});
    const child = server.child;
    const url = await listeningUrl(server);
    // The adapters line follows the URL line.
    const log = await waitFor(() =>
      server.output().includes('vectorIndex') ? server.output() : null,
    );
    for (const word of ['database', 'auth', 'vectorIndex', 'embedder', 'llm', 'mail'])
      expect(log).toContain(word);
    expect(log).toContain('/docs');

    // An in-flight request (body still being sent) must complete after SIGTERM. Every step waits for an
    // event: `Expect: 100-continue` makes the server say when it holds the request, and the log says
    // when shutdown has begun; only then is the rest of the body sent.
    const { port } = new URL(url);
    const inFlight = new Promise<number>((resolveStatus, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json', expect: '100-continue' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolveStatus(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.once('continue', () => {
        req.write('{"email":"nobody@example.com",');
        child.kill('SIGTERM');
        waitFor(() => (server.output().includes('shutting down') ? 'yes' : null)).then(
          () => req.end('"password":"Password1"}'),
          reject,
        );
      });
      req.flushHeaders();
    });
    const status = await inFlight;
    expect(status).toBe(401);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('stopped');
  });

  it('`npm start` builds, runs node dist/main.js from INIT_CWD, and stops on SIGTERM sent to npm', async () => {
    // Run from a scratch directory without DATA_DIR: the default ./data must land there.
    const cwd = mkdtempSync(join(tmpdir(), 'rag-npm-start-'));
    dirs.push(cwd);
    const child = spawn('npm', ['--prefix', REPO_ROOT, 'start'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await waitFor(() => /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1] ?? null);
    expect(output).not.toMatch(/Progress: resolved|Lockfile|Already up to date/);
    expect(existsSync(join(GATEWAY_DIR, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(cwd, 'data', 'pg'))).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // A package the build links for loading by name at run time: a SQL dialect's parser.
    const json = { 'content-type': 'application/json' };
    const signUp = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'dist@example.com', password: 'Passw0rdX' }),
    });
    const { access_token: token } = (await signUp.json()) as { access_token: string };
    const analyzed = await fetch(`${url}/api/sql/analyze`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({
        sql_query: 'SELECT TOP 5 * FROM orders',
        database_context: 'SQL Server',
      }),
    });
    expect(analyzed.status).toBe(200);
    expect(((await analyzed.json()) as { analysis: string }).analysis).toContain('SQL Server');

    child.kill('SIGTERM');
    expect(await exited).not.toBeNull();
    expect(output).toContain('stopped');
    // The server itself is gone, not just npm.
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 240_000);
});
