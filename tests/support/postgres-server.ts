import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Finds a PostgreSQL binary directory (Debian layout or PATH). */
export function findPgBin(): string | null {
  for (const v of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(`${dir}/initdb`) && existsSync(`${dir}/pg_ctl`)) return dir;
  }
  return null;
}

export type PostgresServer = { url: string; stop(): Promise<void> };

/** A port nobody listens on right now (the kernel's pick), so parallel sessions rarely collide. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * Starts a throwaway PostgreSQL cluster on a free port (recipe from notes/environment.md §6).
 * As root, initdb refuses to run, so the cluster belongs to the `postgres` user.
 */
export async function startPostgres(pgBin: string): Promise<PostgresServer> {
  const base = `/tmp/rag-pgtest-${process.pid}-${Date.now()}`;
  rmSync(base, { recursive: true, force: true });
  mkdirSync(`${base}/sock`, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const exec = async (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const p of [base, `${base}/sock`]) chownSync(p, Number(stdout.trim()), Number(gid.trim()));
  }
  await exec(`${pgBin}/initdb`, [
    '-D',
    `${base}/data`,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  // Another session may take the port between the probe and the bind: try another one then.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await exec(`${pgBin}/pg_ctl`, [
        '-D',
        `${base}/data`,
        '-l',
        `${base}/log`,
        // Wait for the server to accept connections: pg_ctl gives up after 60 s by default, which a
        // loaded shared 2-core machine can exceed at start-up.
        '-w',
        '-t',
        '600',
        '-o',
        `-p ${port} -k ${base}/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
        'start',
      ]);
      break;
    } catch (err) {
      const log = existsSync(`${base}/log`) ? readFileSync(`${base}/log`, 'utf8') : '';
      if (attempt >= 5 || !log.includes('Address already in use')) {
        rmSync(base, { recursive: true, force: true });
        throw err;
      }
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await exec(`${pgBin}/pg_ctl`, ['-D', `${base}/data`, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      rmSync(base, { recursive: true, force: true });
    },
  };
}
