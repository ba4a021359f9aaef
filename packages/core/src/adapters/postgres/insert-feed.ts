import type { Database } from '../../db/database';
import type { InsertedRange, InsertFeed } from '../../ports/email-sync-store';
import { listenChannel } from './listen-channel';

/** Channel of the statement-level trigger on chat_history (migration email-sync/0001). */
export const CHAT_HISTORY_CHANNEL = 'chat_history_inserted';

function parsePayload(payload: string): InsertedRange | null {
  try {
    const p = JSON.parse(payload) as { from?: unknown; to?: unknown };
    const from = Number(p.from);
    const to = Number(p.to);
    return Number.isSafeInteger(from) && Number.isSafeInteger(to)
      ? { from_log_id: from, to_log_id: to }
      : null;
  } catch {
    return null;
  }
}

/** chat_history inserts announced by the trigger's NOTIFY: on Postgres and on PGlite alike. */
export function createPostgresInsertFeed(database: Pick<Database, 'pglite' | 'pool'>): InsertFeed {
  return {
    listen: (listener) =>
      listenChannel(database, CHAT_HISTORY_CHANNEL, {
        onNotify(payload) {
          const range = payload ? parsePayload(payload) : null;
          if (range) listener.onInsert(range);
        },
        onLost: (err) => listener.onError(err),
      }),
  };
}

/** The old entry point (tests, tools): LISTEN for chat_history inserts on this database. */
export function listenForInserts(
  database: Pick<Database, 'pglite' | 'pool'>,
  listener: Parameters<InsertFeed['listen']>[0],
): Promise<() => Promise<void>> {
  return createPostgresInsertFeed(database).listen(listener);
}
