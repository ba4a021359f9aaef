import { resolve } from 'node:path';

import { EnvError, readProcessEnv, type Env } from '@rag/core';

import { createSyncLog, type SyncLog } from './log';

/**
 * Shared start-up of the two commands: validated config (exit 1 naming each bad variable) and the
 * log writing to stdout and EMAIL_SYNC_LOG_FILE. `pnpm --filter` runs scripts inside the package,
 * so a relative log path starts at INIT_CWD: the directory `pnpm email-sync…` was run from.
 */
export function startUp(initCwd: string | undefined): { env: Env; log: SyncLog } {
  let env: Env;
  try {
    env = readProcessEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const file = resolve(initCwd ?? process.cwd(), env.EMAIL_SYNC_LOG_FILE);
  return { env, log: createSyncLog({ file }) };
}
