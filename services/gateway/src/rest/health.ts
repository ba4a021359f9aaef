import { z } from 'zod';

import type { Deps } from '@rag/core';

import { defineRoute } from './route';

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

/** `GET /health`: real probes of the database, the vector index and the auth provider. */
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
        const [database, vectorStore, auth] = await Promise.all([
          probe(() => deps.database.ping()),
          probe(() => deps.vectorIndex.ping()),
          probe(() => deps.auth.ping()),
        ]);
        const services = { api: 'running', database, vector_store: vectorStore, auth };
        const healthy = [database, vectorStore, auth].every((s) => s === 'connected');
        res.status(healthy ? 200 : 503).json({
          status: healthy ? 'healthy' : 'unhealthy',
          timestamp: new Date().toISOString(),
          services,
        });
      },
    }),
  ];
}
