import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

import { transactionHandle } from './pglite-transaction';
import { PgliteWorkerConnection } from './pglite-worker-connection';

export { DatabaseMessages } from './pglite-worker-connection';

/** The part of PGlite's interface drizzle-orm/pglite and this code base use. */
export type PgliteClient = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'listen'>;

/**
 * PGlite in a worker thread, seen from the main thread as (the used subset of) a PGlite instance:
 * queries, transactions and LISTEN over the connection's scheduled, watched requests.
 */
export class PgliteWorkerProxy extends PgliteWorkerConnection implements PgliteClient {
  async query<T>(
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
    tx?: number,
  ): Promise<Results<T>> {
    const parsers = options?.parsers ?? {};
    const result = await this.request<Results<T>>({
      op: 'query',
      sql,
      params,
      rowMode: options?.rowMode ?? 'object',
      rawTypes: Object.keys(parsers).map(Number),
      tx,
    });
    applyParsers(result, parsers, options?.rowMode ?? 'object');
    return result;
  }

  exec(sql: string, _options?: QueryOptions, tx?: number): Promise<Results[]> {
    return this.request<Results[]>({ op: 'exec', sql, tx });
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    // An open transaction holds the backend even between its statements: it counts as work.
    if (this.work() === 0) this.busySince = Date.now();
    this.openTransactions++;
    let id: number;
    try {
      id = await this.request<number>({ op: 'begin' });
    } catch (e) {
      this.openTransactions--;
      throw e;
    }
    let closed = false;
    const end = async (commit: boolean) => {
      if (closed) return;
      closed = true;
      try {
        await this.request({ op: 'end', tx: id, commit });
      } finally {
        this.openTransactions--;
      }
    };
    const tx = transactionHandle(this, id, { rollback: () => end(false), closed: () => closed });
    let result: T;
    try {
      result = await callback(tx);
    } catch (e) {
      if (!this.failure) await end(false).catch(() => undefined);
      throw e;
    }
    await end(true);
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void) {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      await this.request({ op: 'listen', channel });
    }
    set.add(callback);
    return async () => {
      set.delete(callback);
      if (set.size > 0 || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      if (!this.failure && !this.closing) await this.request({ op: 'unlisten', channel });
    };
  }
}

/** Runs the caller's parsers on the raw text the worker returned for their types. */
function applyParsers(
  result: Results<unknown>,
  parsers: NonNullable<QueryOptions['parsers']>,
  rowMode: 'array' | 'object',
) {
  const cols = (result.fields ?? []).flatMap((f, i) => {
    const parse = parsers[f.dataTypeID];
    return parse ? [{ i, name: f.name, parse }] : [];
  });
  if (cols.length === 0) return;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const c of cols) {
      const key = rowMode === 'array' ? c.i : c.name;
      const v = row[key];
      if (typeof v === 'string') row[key] = c.parse(v);
    }
  }
}
