import { pino } from 'pino';

import { createEmailSyncDeps, syncAllPending, syncRange, type Env } from '@rag/core';

import type { SyncBackend } from './sync-backend';

/**
 * Syncs in the shared Postgres database itself: LISTEN for the insert trigger's notifications, and
 * match e-mails through the same auth provider the gateway uses (local users table or Supabase).
 * The deps come from core's composition root; the gateway owns the schema (it migrates at
 * start-up), so until the tables exist syncs fail and the service backs off.
 */
export async function createDatabaseBackend(
  env: Env & { DATABASE_URL: string },
): Promise<SyncBackend> {
  // The service writes its own documented log lines (log.ts); core's JSON lines stay at warn and up.
  const log = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, base: undefined });
  const deps = await createEmailSyncDeps(env, { log });
  return {
    name: 'Postgres (DATABASE_URL, LISTEN/NOTIFY)',
    sweep: () => syncAllPending(deps),
    syncRange: (range) => syncRange(deps, range),
    async watch(handlers) {
      const stop = await deps.insertFeed.listen({
        onInsert: (range) => handlers.onInsert(range),
        onError: (err) => handlers.onError(err),
      });
      handlers.onReady();
      return stop;
    },
    close: () => deps.close(),
  };
}
