import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { waitUntil } from '../../support/wait';

export const GATEWAY_DIR = resolve(import.meta.dirname, '../../../services/gateway');

export type SpawnedServer = {
  url: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
};

/** The gateway's server (src/main.ts, or the `entry` given, through tsx) on a fresh DATA_DIR and port 0. */
export async function spawnGateway(
  env: Record<string, string> = {},
  entry = 'src/main.ts',
): Promise<SpawnedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-runtime-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
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
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await waitUntil(
    () => /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1] ?? null,
    `the gateway to listen (output so far: ${output.slice(0, 500)})`,
  );
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
