import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { waitUntil } from './wait';

const REPO = resolve(import.meta.dirname, '../..');
export const GATEWAY_DIR = join(REPO, 'services/gateway');

/** What a gateway process runs: the bundle `pnpm build` makes (default) or a source entry under tsx. */
export type GatewayProgram = { built: true } | { tsx: string };

export type GatewayProcess = {
  child: ChildProcessWithoutNullStreams;
  dataDir: string;
  /** Everything the process wrote so far (a plain function: destructure it freely). */
  output: () => string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

export type SpawnedServer = GatewayProcess & {
  url: string;
  /** SIGTERM, wait for the exit, remove the DATA_DIR. */
  stop(): Promise<void>;
};

/** Every file under `dir` (no node_modules or builds), in a stable order. */
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    out.push(...sourceFiles(join(dir, name)));
  }
  return out;
}

/** What a service's bundle is made from (a change to any of them makes a new build). */
const BUILD_INPUTS = {
  gateway: ['services/gateway/src', 'services/gateway/build.mjs'],
  'email-sync': ['services/email-sync/src', 'services/email-sync/build.mjs', 'packages/client/src'],
} as const;
const SHARED_INPUTS = [
  'packages/core/src',
  'packages/core/drizzle',
  'scripts/build-service.mjs',
  'pnpm-lock.yaml',
];

export type Service = keyof typeof BUILD_INPUTS;
const builds = new Map<Service, Promise<string>>();

/**
 * A service bundled once per set of sources (its own `build.mjs`, the same as `pnpm build`, into a
 * temporary folder named by the sources' hash, never the dist/ a running server may use); resolves to
 * that folder. A bundle starts in ~2 s where tsx takes 6–9 s, and every process test of a run (and of
 * the next run, while the sources stay the same) shares one build.
 */
export function builtService(service: Service): Promise<string> {
  let build = builds.get(service);
  if (!build) {
    build = buildOnce(service);
    builds.set(service, build);
  }
  return build;
}

async function buildOnce(service: Service): Promise<string> {
  const hash = createHash('sha256');
  for (const input of [...BUILD_INPUTS[service], ...SHARED_INPUTS])
    for (const file of sourceFiles(join(REPO, input))) hash.update(file).update(readFileSync(file));
  const dir = join(tmpdir(), `rag-${service}-build-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'build-info.json'))) {
    // Built aside, then moved in whole: a parallel test file sees a complete build or none.
    const scratch = `${dir}.${process.pid}`;
    await promisify(execFile)(process.execPath, [
      join(REPO, 'services', service, 'build.mjs'),
      `--outdir=${scratch}`,
    ]);
    try {
      renameSync(scratch, dir);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return dir;
}

/** The built gateway's server entry (`dist/main.js` of `pnpm build`). */
export async function builtGateway(): Promise<string> {
  return join(await builtService('gateway'), 'main.js');
}

/**
 * Starts the gateway as its own process on port 0 and a fresh DATA_DIR (unless `env` names one) with
 * only the given settings; it does not wait for it to listen.
 */
export async function startGatewayProcess(
  env: Record<string, string> = {},
  program: GatewayProgram = { built: true },
): Promise<GatewayProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'rag-runtime-'));
  const args =
    'tsx' in program
      ? ['--import', 'tsx', program.tsx]
      : ['--enable-source-maps', await builtGateway()];
  const child = spawn(process.execPath, args, {
    cwd: GATEWAY_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, dataDir, output: () => output, exited };
}

/**
 * The URL a gateway process prints once it listens (waits for that line, generous bound); fails at
 * once, with the output, when the process exits first.
 */
export function listeningUrl(proc: Pick<GatewayProcess, 'output' | 'exited'>): Promise<string> {
  const listening = waitUntil(
    () => /listening on (http:\/\/[\d.]+:\d+)/.exec(proc.output())?.[1] ?? null,
    'the gateway to listen',
    180_000,
  );
  const died = proc.exited.then((code) => {
    throw new Error(`the gateway exited (${String(code)}) before listening:\n${proc.output()}`);
  });
  return Promise.race([listening, died]);
}

/** A gateway process that listens; `stop()` ends it with SIGTERM and removes its DATA_DIR. */
export async function spawnGateway(
  env: Record<string, string> = {},
  program: GatewayProgram = { built: true },
): Promise<SpawnedServer> {
  const proc = await startGatewayProcess(env, program);
  const url = await listeningUrl(proc).catch((e: unknown) => {
    proc.child.kill('SIGKILL'); // no orphan server outlives a failed start
    throw e;
  });
  return {
    ...proc,
    url,
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      rmSync(proc.dataDir, { recursive: true, force: true });
    },
  };
}
