import { join, resolve } from 'node:path';

import type { Env } from '../env';
import { PgliteWorkerProxy } from './pglite-proxy';

/**
 * Starts the embedded database's worker thread from config. Light on purpose (no drizzle, no
 * PGlite on this thread): the server calls it first, so PGlite boots while the rest of the server's
 * modules load; `createDeps` then adopts the running worker (`embeddedWorker`).
 */
export function startEmbeddedWorker(env: Env): PgliteWorkerProxy {
  return new PgliteWorkerProxy({
    dataDir: join(resolve(env.DATA_DIR), 'pg'),
    // The template has every migration applied, pgvector's included: not for a Qdrant set-up.
    seedFromTemplate: !env.QDRANT_URL,
    stallTimeoutMs: env.PGLITE_STALL_TIMEOUT_S * 1000,
    settings: {
      shared_buffers: env.PGLITE_SHARED_BUFFERS,
      work_mem: env.PGLITE_WORK_MEM,
      maintenance_work_mem: env.PGLITE_MAINTENANCE_WORK_MEM,
    },
  });
}

export type { PgliteWorkerProxy };
