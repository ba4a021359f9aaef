import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';

/**
 * The user's write lock as an expression, to take inside a statement that does more: it serialises a
 * user's index writes (the BM25 statistics are read-modify-write) until the transaction ends.
 */
export const userWriteLock = (userId: string): SQL =>
  sql`pg_advisory_xact_lock(hashtext(${userId}))`;

/** Takes the user's write lock for the rest of the transaction. */
export async function lockUser(tx: Pick<Db, 'execute'>, userId: string): Promise<void> {
  await tx.execute(sql`select ${userWriteLock(userId)}`);
}
