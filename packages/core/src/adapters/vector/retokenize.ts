import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { binaryTsvectorArray } from '../postgres/binary-arrays';
import { documentTerms, TOKENIZER_VERSION } from '../../domain/search/tokenizer';
import { lockUser } from '../postgres/user-write-lock';
import { queryRows } from './sql-rows';

const KEY = 'tokenizer_version';
/** Chunks re-tokenized per statement. */
const BATCH = 2000;

/** The tokenizer version the stored BM25 terms were built with; 1 for indexes from before it was recorded. */
async function storedVersion(db: Db): Promise<number | null> {
  const [row] = await queryRows(db, sql`select value from app_meta where key = ${KEY}`);
  if (row) return Number(typeof row.value === 'string' ? JSON.parse(row.value) : row.value);
  const [any] = await queryRows(db, sql`select 1 as one from chunks limit 1`);
  return any ? 1 : null;
}

async function recordVersion(db: Db): Promise<void> {
  await db.execute(sql`
    insert into app_meta (key, value) values (${KEY}, ${JSON.stringify(TOKENIZER_VERSION)}::jsonb)
    on conflict (key) do update set value = excluded.value, updated_at = now()`);
}

/**
 * Rebuilds one user's BM25 terms, lengths and statistics from the stored chunk texts, under the user's
 * write lock, and moves the index to a new version (cached postings of the old terms are then stale).
 */
async function retokenizeUser(db: Db, userId: string): Promise<number> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const df = new Map<string, number>();
    let tokens = 0;
    let chunks = 0;
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await queryRows(
        tx,
        sql`select id::text as id, content from chunks
            where user_id = ${userId} and id > ${after}::uuid order by id limit ${BATCH}`,
      );
      if (rows.length === 0) break;
      after = String(rows[rows.length - 1]?.id);
      const terms = rows.map((r) => documentTerms(String(r.content)));
      for (const t of terms) {
        tokens += t.length;
        for (const term of t.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
      }
      chunks += rows.length;
      await tx.execute(sql`
        update chunks c set terms = t.terms, token_count = t.n
        from unnest(${sql.param(rows.map((r) => String(r.id)))}::uuid[],
                    ${sql.param(binaryTsvectorArray(terms.map((t) => t.tf)))}::tsvector[],
                    ${sql.param(terms.map((t) => t.length))}::int[]) as t(id, terms, n)
        where c.user_id = ${userId} and c.id = t.id`);
    }
    await tx.execute(sql`delete from term_stats where user_id = ${userId}`);
    const all = [...df.keys()];
    for (let i = 0; i < all.length; i += 50_000) {
      const part = all.slice(i, i + 50_000);
      await tx.execute(sql`
        insert into term_stats (user_id, term, df)
        select ${userId}::uuid, term, n
        from unnest(${sql.param(part)}::text[], ${sql.param(part.map((t) => df.get(t) ?? 0))}::int[]) as t(term, n)`);
    }
    await tx.execute(sql`
      update index_stats set doc_count = ${chunks}, total_tokens = ${tokens},
                             version = nextval('index_version_seq')
      where user_id = ${userId}`);
    return chunks;
  });
}

/**
 * At start-up: when the stored BM25 terms come from another tokenizer version (or from before versions
 * were recorded), re-tokenizes every user's chunks from their stored texts. Embeddings are untouched;
 * without this, queries tokenized the new way would miss terms indexed the old way.
 */
export async function retokenizeIfStale(
  db: Db,
  log?: (msg: string) => void,
): Promise<{ users: number; chunks: number } | null> {
  const stored = await storedVersion(db);
  if (stored === TOKENIZER_VERSION) return null;
  let users = 0;
  let chunks = 0;
  if (stored !== null) {
    const owners = await queryRows(db, sql`select user_id::text as id from index_stats`);
    for (const r of owners) {
      chunks += await retokenizeUser(db, String(r.id));
      users++;
    }
    log?.(
      `re-tokenized ${chunks} chunks of ${users} users (tokenizer ${stored} → ${TOKENIZER_VERSION})`,
    );
  }
  await recordVersion(db);
  return { users, chunks };
}
