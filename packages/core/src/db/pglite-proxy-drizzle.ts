import type { QueryOptions, Transaction } from '@electric-sql/pglite';
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type ExtractTablesWithRelations,
  type RelationalSchemaConfig,
} from 'drizzle-orm';
import { PgDialect, type PgTransactionConfig } from 'drizzle-orm/pg-core';
import { PgliteDatabase, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';

import type { PgliteWorkerProxy } from './pglite-proxy';
import { templateQuery } from './pglite-transaction';
import * as schema from './schema';

type Schema = typeof schema;
type Tables = ExtractTablesWithRelations<Schema>;

/**
 * The proxy outside a transaction, in the shape drizzle's PGlite session takes besides a PGlite
 * instance: statements in autocommit, and nothing to roll back.
 */
function autocommit(proxy: PgliteWorkerProxy): Transaction {
  return {
    query: (sql: string, params?: unknown[], options?: QueryOptions) =>
      proxy.query(sql, params, options),
    sql: (strings: TemplateStringsArray, ...params: unknown[]) =>
      proxy.query(templateQuery(strings), params),
    exec: (sql: string, options?: QueryOptions) => proxy.exec(sql, options),
    rollback: () => Promise.reject(new Error('rollback outside a transaction')),
    listen: (channel, callback) => proxy.listen(channel, callback),
    get closed() {
      return proxy.failure !== null;
    },
  };
}

/** drizzle's PGlite session, with transactions opened on the proxy (its `transaction` is PGlite's). */
class ProxySession extends PgliteSession<Schema, Tables> {
  constructor(
    private readonly proxy: PgliteWorkerProxy,
    dialect: PgDialect,
    private readonly relational: RelationalSchemaConfig<Tables>,
  ) {
    super(autocommit(proxy), dialect, relational);
  }

  override transaction<T>(
    run: (tx: PgliteTransaction<Schema, Tables>) => Promise<T>,
    config?: PgTransactionConfig,
  ): Promise<T> {
    // As drizzle-orm/pglite's own session does, over the transaction handle PGlite would give.
    return this.proxy.transaction(async (handle) => {
      const session = new PgliteSession<Schema, Tables>(handle, this.dialect, this.relational);
      const tx = new PgliteTransaction<Schema, Tables>(this.dialect, session, this.relational);
      if (config) await tx.setTransaction(config);
      return run(tx);
    });
  }
}

/**
 * drizzle-orm/pglite over the worker proxy, assembled as its `drizzle()` does: that function takes only
 * a real PGlite (a class with private state the proxy cannot have), while its session takes either a
 * PGlite or a Transaction, which the proxy's two faces truly are.
 */
export function drizzleOverProxy(proxy: PgliteWorkerProxy): PgliteDatabase<Schema> {
  const dialect = new PgDialect();
  const tables = extractTablesRelationalConfig<Tables>(schema, createTableRelationsHelpers);
  const relational = {
    fullSchema: schema,
    schema: tables.tables,
    tableNamesMap: tables.tableNamesMap,
  };
  return new PgliteDatabase(dialect, new ProxySession(proxy, dialect, relational), relational);
}
