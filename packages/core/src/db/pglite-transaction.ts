import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';

/** The statements a transaction handle sends, tagged with its transaction's id (the proxy's methods). */
export type TransactionStatements = {
  query<R>(
    sql: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
    tx: number,
  ): Promise<Results<R>>;
  exec(sql: string, options: QueryOptions | undefined, tx: number): Promise<Results[]>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
};

/** `$1, $2, …` in place of a tagged template's values (PGlite's `sql` without its nested fragments). */
export function templateQuery(strings: TemplateStringsArray): string {
  return strings.reduce((text, part, i) => `${text}$${i}${part}`);
}

/**
 * PGlite's Transaction over the worker: every statement names transaction `id`, `rollback` ends it
 * (through `end`, which the proxy makes idempotent), and `closed` says whether it has ended.
 */
export function transactionHandle(
  statements: TransactionStatements,
  id: number,
  end: { rollback(): Promise<void>; closed(): boolean },
): Transaction {
  return {
    query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
      statements.query<R>(sql, params, options, id),
    sql: <R>(strings: TemplateStringsArray, ...params: unknown[]) =>
      statements.query<R>(templateQuery(strings), params, undefined, id),
    exec: (sql: string, options?: QueryOptions) => statements.exec(sql, options, id),
    rollback: () => end.rollback(),
    // LISTEN is per connection, not per transaction: the proxy's one subscription serves both.
    listen: (channel, callback) => statements.listen(channel, callback),
    get closed() {
      return end.closed();
    },
  };
}
