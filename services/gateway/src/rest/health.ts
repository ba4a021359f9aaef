import { z } from 'zod';

import type { Deps } from '@rag/core';

import { defineRoute } from './route';
import { probeStorage } from './storage-probe';

const HealthSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  timestamp: z.string(),
  /** `connected`, `busy` (the embedded database is answering other work: alive), or `unavailable`. */
  services: z.record(z.string(), z.string()),
  /** The embedded database's watchdog (absent on Postgres). */
  database_activity: z
    .object({
      state: z.enum(['idle', 'busy', 'failed']),
      in_flight: z.number().int(),
      busy_for_ms: z.number(),
      last_reply_ms_ago: z.number().nullable(),
    })
    .optional(),
});

type Check = () => Promise<unknown>;

async function probe(check: () => Promise<string>, timeoutMs = 3000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<string>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health`: real probes of the database, the vector index, the auth provider and DATA_DIR (`storage`:
 * writable, full below MIN_FREE_DISK_MB, or unwritable). On the embedded database every probe runs through
 * `database.probe`: PGlite is one backend, so a probe query sent while it works (an HNSW build, a large
 * ingestion) would wait minutes. Such a probe answers `busy` at once instead, which is healthy: the
 * watchdog fails the database (and /health) if that work stops answering for the stall timeout.
 */
export function healthRoutes(deps: Deps) {
  const { database } = deps;
  const run = (check: Check) => (): Promise<string> =>
    database.probe ? database.probe(check) : check().then(() => 'connected');
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Health check with real probes',
      tags: ['health'],
      auth: 'none',
      responses: {
        200: { description: 'All dependencies reachable', schema: HealthSchema },
        503: { description: 'A dependency is down', schema: HealthSchema },
      },
      handler: async ({ res }) => {
        const [db, vectorStore, auth, storage] = await Promise.all([
          probe(run(() => database.ping())),
          probe(run(() => deps.vectorIndex.ping())),
          probe(run(() => deps.auth.ping())),
          probeStorage(deps.dataDir, deps.env.MIN_FREE_DISK_MB * 1024 * 1024),
        ]);
        const services = { api: 'running', database: db, vector_store: vectorStore, auth, storage };
        const live = database.liveness?.();
        const healthy =
          [db, vectorStore, auth].every((s) => s === 'connected' || s === 'busy') &&
          storage === 'writable' &&
          live?.state !== 'failed';
        res.status(healthy ? 200 : 503).json({
          status: healthy ? 'healthy' : 'unhealthy',
          timestamp: new Date().toISOString(),
          services,
          ...(live && {
            database_activity: {
              state: live.state,
              in_flight: live.inFlight,
              busy_for_ms: live.busyForMs,
              last_reply_ms_ago: live.lastReplyMsAgo,
            },
          }),
        });
      },
    }),
  ];
}
