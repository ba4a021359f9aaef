import { z } from 'zod';

import type { Deps } from '@rag/core';

import { defineRoute } from './route';
import { probeStorage } from './storage-probe';

const HealthSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  timestamp: z.string(),
  services: z.record(z.string(), z.string()),
});

async function probe(check: () => Promise<unknown>, timeoutMs = 3000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return 'connected';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health`: real probes of the database, the vector index, the auth provider and DATA_DIR (`storage`:
 * writable, full below MIN_FREE_DISK_MB, or unwritable).
 */
export function healthRoutes(deps: Deps) {
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
        const [database, vectorStore, auth, storage] = await Promise.all([
          probe(() => deps.database.ping()),
          probe(() => deps.vectorIndex.ping()),
          probe(() => deps.auth.ping()),
          probeStorage(deps.dataDir, deps.env.MIN_FREE_DISK_MB * 1024 * 1024),
        ]);
        const services = { api: 'running', database, vector_store: vectorStore, auth, storage };
        const healthy =
          [database, vectorStore, auth].every((s) => s === 'connected') && storage === 'writable';
        res.status(healthy ? 200 : 503).json({
          status: healthy ? 'healthy' : 'unhealthy',
          timestamp: new Date().toISOString(),
          services,
        });
      },
    }),
  ];
}
