import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sql } from 'drizzle-orm';

import type { Db } from './database';
import type { MigrationDomain } from './domains';

/** The newest migration's timestamp in a domain's journal (drizzle applies those newer than the db's). */
function newestInJournal(folder: string): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

/**
 * The domains whose journal table already records their newest migration, in two cheap queries:
 * start-up on an existing database then skips drizzle's per-domain DDL and file hashing entirely.
 */
export async function currentDomains(
  db: Db,
  domains: readonly { domain: MigrationDomain; folder: string; table: string }[],
): Promise<Set<MigrationDomain>> {
  const existing = await db.execute<{ name: string }>(
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'drizzle' and c.relkind = 'r'`,
  );
  const tables = new Set(rowsOf<{ name: string }>(existing).map((r) => r.name));
  const present = domains.filter((d) => tables.has(d.table));
  if (present.length === 0) return new Set();
  const union = sql.join(
    present.map(
      (d) =>
        sql`select ${d.domain}::text as domain, max(created_at)::float8 as newest from ${sql.identifier('drizzle')}.${sql.identifier(d.table)}`,
    ),
    sql` union all `,
  );
  const applied = rowsOf<{ domain: MigrationDomain; newest: number | null }>(
    await db.execute(union),
  );
  const current = new Set<MigrationDomain>();
  for (const row of applied) {
    const d = present.find((p) => p.domain === row.domain);
    if (d && row.newest !== null && Number(row.newest) >= newestInJournal(d.folder))
      current.add(d.domain);
  }
  return current;
}

/** node-postgres returns `{ rows }`, PGlite the same; both through drizzle's execute. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows?: T[] }).rows ?? (result as T[]);
}
