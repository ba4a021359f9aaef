// Starting the real server as a separate process for the start-up and memory benchmarks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const GATEWAY_DIR = join(REPO_ROOT, 'services/gateway');

/** Builds the gateway when dist/ is missing or stale (as `npm start` does). */
export async function ensureBuilt() {
  const { isBuildStale } = (await import(join(REPO_ROOT, 'scripts/build-service.mjs'))) as {
    isBuildStale: (dir: string, lock: string) => boolean;
  };
  if (!isBuildStale(GATEWAY_DIR, join(REPO_ROOT, 'pnpm-lock.yaml'))) return;
  const r = spawnSync(process.execPath, [join(GATEWAY_DIR, 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('gateway build failed');
}

export type Running = {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<void>;
};

/** Spawns `cmd args`, waits for its "listening on URL" line and for `readyPath` to answer 200. */
export async function startProcess(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  readyPath = '/health',
  cwd = GATEWAY_DIR,
): Promise<Running & { readyMs: number }> {
  const started = performance.now();
  const child = spawn(cmd, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let url: string | undefined;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    url ??= /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
    if (url) {
      const ok = await fetch(`${url}${readyPath}`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
    }
    if (performance.now() - started > 180_000) throw new Error(`server not ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    url,
    readyMs: performance.now() - started,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Each process of a tree (root first) with its command and resident set size in MiB (Linux /proc). */
export function treeProcesses(rootPid: number): { pid: number; command: string; rssMiB: number }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: { pid: number; command: string; rssMiB: number }[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({
        pid,
        command: command.slice(0, 120),
        rssMiB: Math.round(Number(m?.[1] ?? 0) / 1024),
      });
    } catch {
      continue;
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Resident set size of a process and all its descendants, in MiB. */
export function treeRssMiB(rootPid: number): number {
  return treeProcesses(rootPid).reduce((sum, p) => sum + p.rssMiB, 0);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
