import { resolve } from 'node:path';

import { pino } from 'pino';

import {
  createAuthProvider,
  listenForInserts,
  openPostgres,
  syncAllPending,
  syncRange,
  type Env,
  type Mailer,
} from '@rag/core';

import type { SyncBackend } from './sync-backend';

const clock = { now: () => new Date() };

/** The sync never sends mail; the auth provider only needs a mailer for password resets. */
const noMail: Mailer = {
  name: 'none (e-mail sync service)',
  send: () => Promise.reject(new Error('the e-mail sync service sends no mail')),
};

/**
 * Syncs in the shared Postgres database itself: LISTEN for the insert trigger's notifications, and
 * match e-mails through the same auth provider the gateway uses (local users table or Supabase).
 * The gateway owns the schema (it migrates at start-up); until the tables exist, syncs fail and the
 * service backs off.
 */
export async function createDatabaseBackend(
  env: Env & { DATABASE_URL: string },
): Promise<SyncBackend> {
  const database = await openPostgres(env.DATABASE_URL, 3);
  const log = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, base: undefined });
  const auth = await createAuthProvider({
    env,
    db: database.db,
    mailer: noMail,
    clock,
    log,
    dataDir: resolve(env.DATA_DIR),
  });
  const deps = { db: database.db, auth, clock };
  return {
    name: 'Postgres (DATABASE_URL, LISTEN/NOTIFY)',
    sweep: () => syncAllPending(deps),
    syncRange: (range) => syncRange(deps, range),
    async watch(handlers) {
      const stop = await listenForInserts(database, {
        onInsert: (range) => handlers.onInsert(range),
        onError: (err) => handlers.onError(err),
      });
      handlers.onReady();
      return stop;
    },
    close: () => database.close(),
  };
}
