import type { Database } from '../../db/database';

export type ChannelListener = {
  /** One NOTIFY on the channel (its payload as sent). */
  onNotify(payload: string | undefined): void;
  /** The listening connection was lost; nothing more will arrive on it. */
  onLost(err: Error): void;
};

/**
 * LISTENs on one channel: on Postgres through a dedicated pooled connection (a LISTENing session
 * must never go back to the pool, so it is destroyed on stop), on PGlite in-process. Resolves once
 * listening, so anything notified after it is delivered; returns `stop`. The one copy of the driver
 * code behind the insert feed and the progress bus.
 */
export async function listenChannel(
  database: Pick<Database, 'pglite' | 'pool'>,
  channel: string,
  listener: ChannelListener,
): Promise<() => Promise<void>> {
  if (database.pglite) {
    const unlisten = await database.pglite.listen(channel, (payload) => listener.onNotify(payload));
    return () => unlisten();
  }
  if (!database.pool) throw new Error('database has neither a pool nor an embedded instance');
  const client = await database.pool.connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err ?? true);
  };
  client.on('notification', (msg) => {
    if (msg.channel === channel) listener.onNotify(msg.payload);
  });
  const lost = (err: Error) => {
    if (released) return;
    release(err);
    listener.onLost(err);
  };
  client.on('error', lost);
  client.on('end', () => lost(new Error('the LISTEN connection ended')));
  try {
    // Channel names are this code's constants, never input.
    await client.query(`LISTEN ${channel}`);
  } catch (err) {
    release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  return () => Promise.resolve(release());
}
