import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';

import type { Database } from '../../db/database';
import type {
  IngestProgress,
  ListenOptions,
  ProgressBus,
  ProgressListener,
} from '../../ports/progress-bus';
import { listenChannel } from '../postgres/listen-channel';

export const PROGRESS_CHANNEL = 'ingest_progress';
/** NOTIFY payloads are capped at 8000 bytes; a failure reason is the only long field. */
const MAX_REASON = 1000;
const RECONNECT_MS = 1000;

type Wire = { u: string; e: IngestProgress };

/**
 * Progress over Postgres LISTEN/NOTIFY, so a subscriber on any gateway sees every upload. One listening
 * connection per bus (a dedicated pooled client on Postgres; `listen` on an embedded PGlite), shared by
 * all local subscribers; a lost connection is re-established, and subscribers that asked are told
 * (`onReconnect`) so they can catch up on what was published meanwhile.
 */
export function createPgNotifyProgressBus(database: Database, log: Logger): ProgressBus {
  const listeners = new Map<ProgressListener, ListenOptions | undefined>();
  let connection: Promise<() => Promise<void>> | null = null;
  let closed = false;
  /** The connection was lost and no new one listens yet: the next one that does is a reconnect. */
  let lost = false;

  const deliver = (payload: string | undefined) => {
    if (!payload) return;
    let wire: Wire;
    try {
      wire = JSON.parse(payload) as Wire;
    } catch {
      return;
    }
    for (const l of [...listeners.keys()]) l(wire.u, wire.e);
  };

  const connect = (): Promise<() => Promise<void>> =>
    listenChannel(database, PROGRESS_CHANNEL, {
      onNotify: deliver,
      onLost(err) {
        if (closed) return;
        log.warn({ err }, 'progress LISTEN connection lost; reconnecting');
        lost = true;
        connection = null;
        const retry = () => {
          if (closed || connection) return;
          connection = connect().catch((e: unknown) => {
            connection = null;
            setTimeout(retry, RECONNECT_MS).unref();
            throw e;
          });
          connection.catch(() => undefined);
        };
        setTimeout(retry, RECONNECT_MS).unref();
      },
    }).then((stop) => {
      if (lost && !closed) {
        lost = false;
        log.info('progress LISTEN connection re-established');
        for (const o of [...listeners.values()]) o?.onReconnect?.();
      }
      return stop;
    });

  return {
    name: 'postgres LISTEN/NOTIFY',
    async publish(userId, event) {
      const e = event.reason ? { ...event, reason: event.reason.slice(0, MAX_REASON) } : event;
      const payload = JSON.stringify({ u: userId, e } satisfies Wire);
      await database.db.execute(sql`select pg_notify(${PROGRESS_CHANNEL}, ${payload})`);
    },
    async listen(listener, opts) {
      if (!connection) {
        connection = connect();
        connection.catch(() => (connection = null));
      }
      await connection;
      listeners.set(listener, opts);
      return () => {
        listeners.delete(listener);
        return Promise.resolve();
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      const c = connection;
      connection = null;
      if (c) await (await c.catch(() => () => Promise.resolve()))();
    },
  };
}
