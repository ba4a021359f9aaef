/**
 * The shared vocabulary of the Postgres adapters: one transaction type and the casts and row
 * mappings every store repeats. The same SQL serves PGlite and node-postgres, so nothing here may
 * branch on the driver.
 */
import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';

/** A drizzle transaction over either driver (what `db.transaction(async (tx) => …)` hands over). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Where a store's statements run: the database or an open transaction. A store method that must
 * join a caller's transaction takes `on: Executor = db` instead of casting `tx` to `Db`.
 */
export type Executor = Db | Tx;

export type Row = Record<string, unknown>;

/**
 * Runs raw SQL and returns its rows, typed by the caller: both drivers answer `{ rows }` through
 * drizzle's `execute`, which types the result loosely. `T` states what the SELECT list yields.
 */
export async function queryRows<T extends object = Row>(db: Executor, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as { rows: T[] };
  return res.rows;
}

/** The first row of a raw query, or undefined. */
export async function queryRow<T extends object = Row>(
  db: Executor,
  query: SQL,
): Promise<T | undefined> {
  const [row] = await queryRows<T>(db, query);
  return row;
}

/** The row an INSERT … RETURNING must produce; its absence is a bug, not a user error. */
export function returned<T>(rows: T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`${what}: the statement returned no row`);
  return row;
}

/** A JS instant as a `timestamptz` parameter (raw SQL has no column to infer the type from). */
export const timestamptz = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;

/** A JSON value as a `jsonb` parameter; SQL NULL for null. */
export const jsonb = (value: unknown): SQL =>
  sql`${value === null || value === undefined ? null : JSON.stringify(value)}::jsonb`;

/** A list of ids as one `uuid[]` parameter (`= any(…)`), not one placeholder per id. */
export const uuidArray = (ids: readonly string[]): SQL => sql`${sql.param(ids)}::uuid[]`;

/** `count(*)` as a JS number: Postgres counts in bigint, which the drivers return as a string. */
export const countAll = sql<number>`count(*)::int`;

/**
 * A numeric column as a JS number: bigint/numeric columns and `count(*)` arrive as strings on
 * node-postgres and as numbers on PGlite; a missing value (no row) counts as 0.
 */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** A timestamptz column rendered the way the REST contract shows instants. */
export const isoOf = (at: Date): string => at.toISOString();

/** A nullable timestamptz column rendered as ISO text or null. */
export const isoOrNull = (at: Date | null): string | null => (at ? at.toISOString() : null);

/** `text[]` from either driver: an array, or `{a,b}` text from drivers that return arrays as text. */
export function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string can be bound as a `uuid` (anything else would make Postgres throw 22P02). */
export const isUuid = (s: string): boolean => UUID.test(s);
