import type { Database } from '../../db/database';
import type { InsertedEvent } from './schemas';

/** Channel of the statement-level trigger on chat_history (migration 0001). */
export const CHAT_HISTORY_CHANNEL = 'chat_history_inserted';

export type InsertedRange = { from_log_id: number; to_log_id: number };

export type InsertListener = {
  onInsert(range: InsertedRange): void;
  /** The listening connection was lost; no more notifications will arrive. */
  onError(err: Error): void;
};

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

/**
 * LISTENs for new chat_history rows: on Postgres through a dedicated pooled connection, on PGlite
 * in-process. Resolves once listening (rows inserted afterwards are never missed); returns `stop`.
 */
export async function listenForInserts(
  database: Database,
  listener: InsertListener,
): Promise<() => Promise<void>> {
  const handle = (payload: string | undefined) => {
    const range = payload ? parsePayload(payload) : null;
    if (range) listener.onInsert(range);
  };
  if (database.pglite) {
    const unlisten = await database.pglite.listen(CHAT_HISTORY_CHANNEL, handle);
    return () => unlisten();
  }
  if (!database.pool) throw new Error('database has neither a pool nor an embedded instance');
  const client = await database.pool.connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    // A LISTENing session must not go back to the pool: destroy the connection.
    client.release(err ?? true);
  };
  client.on('notification', (msg) => {
    if (msg.channel === CHAT_HISTORY_CHANNEL) handle(msg.payload);
  });
  const lost = (err: Error) => {
    if (released) return;
    release(err);
    listener.onError(err);
  };
  client.on('error', lost);
  client.on('end', () => lost(new Error('the LISTEN connection ended')));
  try {
    await client.query(`LISTEN ${CHAT_HISTORY_CHANNEL}`);
  } catch (err) {
    release(err as Error);
    throw err;
  }
  return async () => release();
}

/**
 * The notifications as an async stream (for the `chatHistory.onInserted` subscription): first
 * `ready`, then one `inserted` per burst — ranges queued while the consumer is busy are merged.
 */
export async function* watchInsertedRows(
  database: Database,
  signal?: AbortSignal,
): AsyncGenerator<InsertedEvent> {
  // Mutated by the listener callbacks; boxed so TypeScript does not narrow them to `null`.
  const state: { pending: InsertedRange | null; failure: Error | null } = {
    pending: null,
    failure: null,
  };
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const stop = await listenForInserts(database, {
    onInsert(range) {
      const prev = state.pending;
      state.pending = prev
        ? {
            from_log_id: Math.min(prev.from_log_id, range.from_log_id),
            to_log_id: Math.max(prev.to_log_id, range.to_log_id),
          }
        : range;
      poke();
    },
    onError(err) {
      state.failure = err;
      poke();
    },
  });
  signal?.addEventListener('abort', poke);
  try {
    yield { type: 'ready' };
    while (!signal?.aborted) {
      if (state.failure) throw state.failure;
      const next = state.pending;
      if (next) {
        state.pending = null;
        yield { type: 'inserted', ...next };
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener('abort', poke);
    await stop();
  }
}
