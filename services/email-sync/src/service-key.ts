import { isAbsolute, resolve } from 'node:path';

import { readServiceKey, type Env } from '@rag/core';

/**
 * The key the sync service and cron job send: SERVICE_API_KEY, else the one the gateway generated in
 * `DATA_DIR/secrets/service-api-key`. A relative DATA_DIR is looked up from where the command was run
 * (INIT_CWD), from here, and from the gateway package (whose `pnpm start` runs inside it).
 */
export function serviceKeyFor(env: Env, initCwd: string | undefined): string | undefined {
  if (env.SERVICE_API_KEY) return env.SERVICE_API_KEY;
  const dirs = isAbsolute(env.DATA_DIR)
    ? [env.DATA_DIR]
    : [initCwd ?? process.cwd(), process.cwd(), resolve(process.cwd(), '../gateway')].map((base) =>
        resolve(base, env.DATA_DIR),
      );
  for (const dir of dirs) {
    const key = readServiceKey(undefined, dir);
    if (key) return key;
  }
  return undefined;
}
