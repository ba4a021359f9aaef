import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows, scalarText } from './sql-rows';
import type { DocumentTerms } from '../../domain/search/tokenizer';

/** The version of the user's index (null before their first chunk). Read inside the write lock. */
export async function readVersion(db: Db, userId: string): Promise<string | null> {
  const rows = await queryRows(
    db,
    sql`select version::text as version from index_stats where user_id = ${userId}`,
  );
  return rows[0] ? String(rows[0].version) : null;
}

/** The outcome of {@link addStats}: the version before and after, or why nothing was written. */
export type Added = { before: string | null; after: string | null; taken: boolean; lost: boolean };

/**
 * Adds a batch of new chunks to the user's BM25 statistics (terms sorted: stable lock order) and
 * moves the index to a new version. `rows(guard)`, an INSERT of the chunks themselves that writes only
 * where `guard` holds, runs in the same statement: one round trip for the whole write, which also
 * reads the version before it (the statement's snapshot: call it inside the user's write lock) and
 * whether any of `ids` is stored already — then it writes nothing and says `taken`, for the caller to
 * remove those first. With `held` (a query of one row per job claim still held, and how many claims
 * there are) it also writes nothing unless every claim is held, and says so (`lost`).
 */
export async function addStats(
  db: Pick<Db, 'execute'>,
  userId: string,
  docs: DocumentTerms[],
  ids: string[],
  rows: (guard: SQL) => SQL,
  held?: { rows: SQL; claims: number },
): Promise<Added> {
  const df = new Map<string, number>();
  let tokens = 0;
  for (const d of docs) {
    tokens += d.length;
    for (const term of d.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const terms = [...df.keys()].sort();
  const allHeld = held ? sql`(select count(*) from held) = ${held.claims}` : sql`true`;
  const free = sql`not (select taken from stored) and ${allHeld}`;
  const result = await queryRows(
    db,
    sql`
    with ${held ? sql`held as (${held.rows}),` : sql``}
    prior as (select version::text as version from index_stats where user_id = ${userId}),
    stored as (
      select exists (select 1 from chunks where user_id = ${userId} and id = any(${sql.param(ids)}::uuid[])) as taken
    ),
    inserted as (${rows(free)}),
    terms as (
      insert into term_stats (user_id, term, df)
      select ${userId}::uuid, term, n from unnest(${sql.param(terms)}::text[], ${sql.param(terms.map((t) => df.get(t) ?? 0))}::int[]) as t(term, n)
      where ${free}
      on conflict (user_id, term) do update set df = term_stats.df + excluded.df
      returning 1
    ),
    st as (
      insert into index_stats (user_id, doc_count, total_tokens, version)
      select ${userId}::uuid, ${docs.length}::int, ${tokens}::bigint, nextval('index_version_seq')
      where ${free}
      on conflict (user_id) do update set doc_count = index_stats.doc_count + excluded.doc_count,
                                          total_tokens = index_stats.total_tokens + excluded.total_tokens,
                                          version = excluded.version
      returning version::text as version
    )
    select (select version from prior) as before, (select taken from stored) as taken,
           not ${allHeld} as lost, (select version from st) as after`,
  );
  const row = result[0];
  return {
    before: scalarText(row?.before),
    after: scalarText(row?.after),
    taken: row?.taken === true,
    lost: row?.lost === true,
  };
}

export type Deleted = { ids: string[]; version: string | null };

/**
 * Deletes the user's chunks matching `where` and subtracts them from the BM25 statistics, in one
 * statement; returns the ids deleted and the index's new version. Call inside the user's write lock.
 */
export async function deleteChunksWhere(db: Db, userId: string, where: SQL): Promise<Deleted> {
  const res = await queryRows(
    db,
    sql`
    with del as (
      delete from chunks where user_id = ${userId} and (${where}) returning id, terms, token_count
    ),
    dec as (
      select t.lexeme as term, count(*)::int as n from del cross join lateral unnest(del.terms) t group by t.lexeme
    ),
    upd as (
      update term_stats ts set df = ts.df - dec.n from dec where ts.user_id = ${userId} and ts.term = dec.term
      returning 1
    ),
    st as (
      update index_stats set doc_count = doc_count - (select count(*) from del),
                             total_tokens = total_tokens - (select coalesce(sum(token_count), 0) from del),
                             version = nextval('index_version_seq')
      where user_id = ${userId} and exists (select 1 from del) returning version
    )
    select coalesce((select json_agg(id::text) from del), '[]') as ids, (select count(*) from upd)::int as touched,
           (select version::text from st) as version`,
  );
  const row = res[0];
  const ids = (typeof row?.ids === 'string' ? JSON.parse(row.ids) : (row?.ids ?? [])) as string[];
  const version = scalarText(row?.version);
  if (ids.length > 0) {
    await db.execute(sql`delete from term_stats where user_id = ${userId} and df <= 0`);
    await db.execute(sql`delete from index_stats where user_id = ${userId} and doc_count <= 0`);
  }
  return { ids, version };
}
