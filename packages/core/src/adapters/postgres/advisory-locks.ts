/** Transaction-scoped advisory locks: named critical sections shared by every connection of every gateway. */
import { sql } from 'drizzle-orm';

import type { Executor } from './sql-helpers';

/** Held until the transaction ends; taken in sorted order, so two callers sharing keys cannot deadlock. */
export async function lockKeys(tx: Executor, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort())
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`);
}
