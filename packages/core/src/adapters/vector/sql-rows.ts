import type { SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';

export type Row = Record<string, unknown>;

/** Runs raw SQL and returns its rows (both drivers answer `{ rows }`; drizzle types it as unknown). */
export async function queryRows(db: Pick<Db, 'execute'>, query: SQL): Promise<Row[]> {
  const res = (await db.execute(query)) as { rows: Row[] };
  return res.rows;
}

/** A scalar column as text (ids, versions and counts arrive as string, number or bigint), else null. */
export function scalarText(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
}
