import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { StoredChunk } from '../../ports/vector-index';
import type { UserPostings } from '../vector/bm25-postings';
import { CHUNK_COLUMNS, toStoredChunk } from '../vector/chunk-rows';
import { queryRows } from '../vector/sql-rows';

/** The hits' chunks: from the in-memory postings (valid at the version the search read), else the table. */
export async function loadChunks(
  db: Db,
  userId: string,
  wanted: string[],
  postings?: UserPostings,
): Promise<Map<string, StoredChunk>> {
  const out = new Map<string, StoredChunk>();
  const ids: string[] = [];
  for (const id of wanted) {
    const chunk = postings?.chunk(id);
    if (chunk) out.set(id, chunk);
    else ids.push(id);
  }
  if (ids.length === 0) return out;
  const res = await queryRows(
    db,
    sql`select ${CHUNK_COLUMNS} from chunks where user_id = ${userId} and id = any(${sql.param(ids)}::uuid[])`,
  );
  for (const r of res) out.set(String(r.id), toStoredChunk(r));
  return out;
}

export async function countChunks(db: Db, userId: string, filterSql: SQL): Promise<number> {
  const res = await queryRows(
    db,
    sql`select count(*)::int as n from chunks where user_id = ${userId} ${filterSql}`,
  );
  return Number(res[0]?.n ?? 0);
}

/** Distinct file ids with chunks, of one user or of everyone (reconciliation). */
export async function chunkFileIds(db: Db, userId?: string): Promise<string[]> {
  const res = await queryRows(
    db,
    userId
      ? sql`select distinct file_id::text as id from chunks where user_id = ${userId}`
      : sql`select distinct file_id::text as id from chunks`,
  );
  return res.map((r) => String(r.id));
}

/** Who owns chunks of these files (each owner's statistics are updated under their own lock). */
export async function chunkOwners(db: Db, fileIds: string[]): Promise<string[]> {
  const res = await queryRows(
    db,
    sql`select distinct user_id::text as user_id from chunks where file_id = any(${sql.param(fileIds)}::uuid[])`,
  );
  return res.map((r) => String(r.user_id));
}

/** The users with the most chunks first (the keyword copies warmed at start-up). */
export async function largestUsers(db: Db, limit: number): Promise<string[]> {
  const rows = await queryRows(
    db,
    sql`select user_id::text as id from index_stats order by doc_count desc limit ${limit}`,
  );
  return rows.map((r) => String(r.id));
}
