import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { EnvSchema, parseEnv } from '@rag/core/testing';

import { waitUntil as waitFor } from '../../support/wait';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'rag-deploy-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Service = {
  build?: string;
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
};
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
};
const ours = Object.entries(compose.services).filter(([, s]) => s.image === 'rag-backend:local');
const KNOWN = new Set(Object.keys(EnvSchema.shape));

/** `${NAME:?message}` → a value that satisfies the schema, as a user setting it would. */
const substitute = (value: string) =>
  value.replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) =>
    name === 'JWT_SECRET' ? 'x'.repeat(40) : `value-of-${name}`,
  );

/** The JSON-array instruction of a Dockerfile (CMD, or HEALTHCHECK's CMD), continuation lines joined. */
function dockerfileArray(instruction: RegExp): string[] {
  const text = read('Dockerfile').replace(/\\\n\s*/g, ' ');
  const line = text.split('\n').find((l) => instruction.test(l));
  return JSON.parse(line!.replace(instruction, '').replace(/^.*?CMD\s+/, '')) as string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('compose.yaml (13.8)', () => {
  it('runs the gateway twice and the e-mail sync service from the one image, with built entries', () => {
    expect(ours.map(([name]) => name).sort()).toEqual(['email-sync', 'gateway-1', 'gateway-2']);
    const gatewayBuild = read('services/gateway/build.mjs');
    const syncBuild = read('services/email-sync/build.mjs');
    for (const [name, service] of ours) {
      const [node, ...args] = service.command!;
      expect(node, name).toBe('node');
      const script = args.find((a) => a.endsWith('.js'))!;
      const [, svc, entry] = /^services\/([\w-]+)\/dist\/([\w-]+)\.js$/.exec(script)!;
      const build = svc === 'gateway' ? gatewayBuild : syncBuild;
      expect(build, `${name}: ${script} is a build entry`).toMatch(
        new RegExp(`\\b${entry}: 'src/`),
      );
    }
  });

  it('sets only variables the config schema knows, with values it accepts', () => {
    for (const [name, service] of ours) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]),
      );
      expect(
        Object.keys(env).filter((k) => !KNOWN.has(k)),
        name,
      ).toEqual([]);
      expect(() => parseEnv(env), name).not.toThrow();
    }
  });

  it('wires ports: the proxy reaches both gateways on their PORT; PUBLIC_URL is the proxy', () => {
    const caddy = read('deploy/Caddyfile');
    const gatewayPort = compose.services['gateway-1']!.environment!.PORT;
    for (const g of ['gateway-1', 'gateway-2']) expect(caddy).toContain(`${g}:${gatewayPort}`);
    expect(read('Dockerfile')).toMatch(new RegExp(`EXPOSE ${gatewayPort}\\b`));
    const [published, inside] = compose.services.proxy!.ports![0]!.split(':');
    expect(caddy).toMatch(new RegExp(`^:${inside} \\{`, 'm'));
    expect(compose.services['gateway-1']!.environment!.PUBLIC_URL).toBe(
      `http://localhost:${published}`,
    );
    const sync = compose.services['email-sync']!.environment!;
    expect(sync.GATEWAY_URL).toBe(`http://proxy:${inside}`);
    for (const service of Object.values(compose.services)) {
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const d of deps) expect(compose.services[d], d).toBeDefined();
    }
    expect(compose.services.postgres!.image).toMatch(/^pgvector\/pgvector:/);
  });

  it('the systemd unit runs the same command with known variables and stops on SIGTERM', () => {
    const unit = read('deploy/rag-gateway.service');
    const exec = /^ExecStart=(\S+) (.+)$/m.exec(unit)!;
    expect(exec[1]).toMatch(/\/node$/);
    expect(['node', ...exec[2]!.split(' ')]).toEqual(compose.services['gateway-1']!.command);
    const names = [...unit.matchAll(/^Environment=(.+)$/gm)].flatMap((m) =>
      m[1]!.split(' ').map((kv) => kv.split('=')[0]!),
    );
    expect(names.filter((n) => !KNOWN.has(n))).toEqual([]);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});

describe('Dockerfile (13.8)', () => {
  it('builds, starts with its CMD, answers its HEALTHCHECK, and stops on SIGTERM', async () => {
    const cmd = dockerfileArray(/^CMD /);
    expect(cmd).toEqual(compose.services['gateway-1']!.command);
    expect(read('Dockerfile')).toMatch(/USER node/);
    // The same build as `pnpm build` for the gateway, into a scratch folder (dist/ may be in use).
    const outdir = join(tmp, 'dist');
    await run(process.execPath, [join(ROOT, 'services/gateway/build.mjs'), `--outdir=${outdir}`]);
    writeFileSync(join(tmp, 'package.json'), '{"type":"module"}'); // the image keeps the gateway's
    const port = String(await freePort());
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: port, HOST: '127.0.0.1' };
    const args = cmd.slice(1).map((a) => a.replace('services/gateway/dist', outdir));
    const server = spawn(process.execPath, args, {
      cwd: tmp,
      env: {
        ...env,
        NODE_ENV: 'production',
        DATA_DIR: join(tmp, 'data'),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'debug',
      },
    });
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      await waitFor(() => output.includes('listening on') || null, `the server (${output})`);
      const health = dockerfileArray(/^HEALTHCHECK .*CMD /);
      expect(health[0]).toBe('node');
      const check = await run(process.execPath, health.slice(1), { env });
      expect(check.stderr).toBe('');
      // A fresh DATA_DIR starts from the build's migrated template (no initdb), and says so.
      expect(output).toContain("embedded database created from the build's template");
      expect(existsSync(join(outdir, 'pg-template/PG_VERSION'))).toBe(true);
      expect(existsSync(join(tmp, 'data/pg/PG_VERSION'))).toBe(true);
      expect(output).toMatch(/"startupMs":\{"modules":\d+/);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
  }, 180_000);
});
