import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';

// The package as users get it: packed, installed with npm into a project outside the workspace,
// type-checked, compiled and run with plain node. Nothing here imports the client's source.
const run = promisify(execFile);
const CLIENT = resolve(import.meta.dirname, '../../../packages/client');
const FIXTURES = join(import.meta.dirname, 'consumer');
const requireFromClient = createRequire(join(CLIENT, 'package.json'));
const TSC = requireFromClient.resolve('typescript/bin/tsc');
/** npm's cache survives between runs on one machine; a clean machine just downloads. */
const NPM_CACHE = join(tmpdir(), 'rag-client-pack-npm-cache');
const BUDGET_GZIP = 20 * 1024;

let deps: Deps;
let gw: RunningGateway;
let project: string;

async function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return await run(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

const tsc = (config: string, ...extra: string[]) =>
  sh(process.execPath, [TSC, '-p', config, ...extra], project);

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  project = mkdtempSync(join(tmpdir(), 'rag-client-consumer-'));
  const packs = join(project, 'packs');
  mkdirSync(packs);
  // `pnpm pack` runs the package's prepack (the build) first.
  await sh('pnpm', ['pack', '--pack-destination', packs], CLIENT);
  const [tarball] = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('pnpm pack produced no tarball');
  for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(project, f));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'rag-client-consumer',
      private: true,
      type: 'module',
      dependencies: { '@rag/client': `file:packs/${tarball}`, eventsource: '4.1.1' },
    }),
  );
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project, {
    npm_config_cache: NPM_CACHE,
  });
}, 240_000);

afterAll(async () => {
  await gw?.close();
  await deps?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

// Generous limits: CI runs on a loaded 2-core machine (these bound a hang, they measure nothing).
describe('the packed @rag/client installed outside the workspace', { timeout: 180_000 }, () => {
  it('installs no server code: only the client, tRPC, superjson and eventsource', async () => {
    const { stdout } = await sh('npm', ['ls', '--all', '--parseable'], project);
    const names = stdout
      .split('\n')
      .filter((l) => l.includes('node_modules'))
      .map((l) => l.slice(l.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(names).toContain('@rag/client');
    expect(names.filter((n) => n.startsWith('@rag/'))).toEqual(['@rag/client']);
    for (const n of names) expect(n).not.toMatch(/^(zod|drizzle-orm|express|@electric-sql)/);
  });

  it('type-checks a consumer under NodeNext, Node16 and Bundler, loading no server files', async () => {
    const timings: string[] = [];
    for (const [config, ...extra] of [
      ['tsconfig.nodenext.json', '--noEmit'],
      ['tsconfig.node16.json'],
      ['tsconfig.bundler.json'],
    ] as const) {
      const started = performance.now();
      await tsc(config, ...extra);
      timings.push(`${config} ${Math.round(performance.now() - started)} ms`);
    }
    console.info(`consumer type checks: ${timings.join(', ')}`); // a report, not a limit
    const { stdout } = await tsc('tsconfig.bundler.json', '--listFilesOnly');
    const files = stdout.split('\n').filter(Boolean);
    expect(files.some((f) => f.includes('@rag/client/dist/server-types.d.ts'))).toBe(true);
    expect(files.filter((f) => /@rag\/core|\/zod\/|drizzle|packages\/core/.test(f))).toEqual([]);
    expect(files.filter((f) => !f.includes('/typescript/lib/')).length).toBeLessThan(80);
  });

  it('fails the type check when an expected type error disappears (the types are real)', async () => {
    writeFileSync(
      join(project, 'loose.mts'),
      "import { createRagClient } from '@rag/client';\n" +
        "const c = createRagClient({ url: '/trpc' });\n" +
        '// @ts-expect-error filename is a string\n' +
        "void c.files.delete.mutate({ filename: 'a.pdf' });\n",
    );
    writeFileSync(
      join(project, 'tsconfig.loose.json'),
      JSON.stringify({ extends: './tsconfig.bundler.json', files: ['loose.mts'] }),
    );
    await expect(tsc('tsconfig.loose.json')).rejects.toThrow(/TS2578: Unused '@ts-expect-error'/);
  });

  it('runs with plain node against the real gateway', async () => {
    await tsc('tsconfig.nodenext.json');
    const { stdout } = await sh(process.execPath, ['out/consumer.mjs'], project, {
      RAG_URL: gw.url,
    });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out.email).toMatch(/^pack-/);
    expect(out.uploaded).toBe('bien.md');
    expect((out.stages as string[])[0]).toBe('sending');
    expect((out.stages as string[]).at(-1)).toBe('indexed');
    expect(out.second).toBeGreaterThan(0);
    expect(out.files).toEqual(['bien.md', 'const.txt']);
    expect(out.events).toEqual(['start', 'sources', 'content', 'end']);
    expect(String(out.answer)).toMatch(/let/);
    expect(out.sources).toContain('bien.md');
    expect(out.conversations).toBe(1);
    expect(out.restFiles).toBe(2);
    expect(out.error).toEqual({
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'Token không hợp lệ hoặc đã hết hạn',
    });
  });

  it('loads from CommonJS through require(esm) on this Node', async () => {
    writeFileSync(
      join(project, 'require.cjs'),
      "const c = require('@rag/client');\n" +
        'console.log(JSON.stringify([typeof c.createRagClient, typeof c.askStream]));\n',
    );
    const { stdout } = await sh(process.execPath, ['require.cjs'], project);
    expect(JSON.parse(stdout.trim())).toEqual(['function', 'function']);
  });

  it('bundles for the browser with no Node built-ins, within the size budget', async () => {
    const bundle = async (external: string[]) => {
      const res = await build({
        entryPoints: [join(project, 'browser.mts')],
        absWorkingDir: project,
        bundle: true,
        minify: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        external,
        logLevel: 'silent',
      });
      return gzipSync(res.outputFiles[0]!.contents, { level: 9 }).length;
    };
    const withoutTrpc = await bundle(['@trpc/client', '@trpc/server', 'superjson']);
    const whole = await bundle([]);
    console.info(
      `@rag/client size: ${withoutTrpc} B min+gzip without tRPC/superjson, ${whole} B with them`,
    );
    expect(withoutTrpc).toBeLessThanOrEqual(BUDGET_GZIP);
    expect(whole).toBeGreaterThan(withoutTrpc);
  });
});
