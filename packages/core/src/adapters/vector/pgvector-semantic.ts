import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { vectorLiteral } from './vector-literal';
import { queryRows } from './sql-rows';

/**
 * Cosine similarity top-k through the HNSW expression index. The user / filter conditions are applied
 * while the index is walked (`iterative_scan`), so a user with few chunks among many still gets k hits;
 * relaxed order is re-sorted here. `restrictIds` scores exactly the given chunks (hybrid fusion).
 */
export async function semanticScores(
  db: Db,
  dim: number,
  q: {
    userId: string;
    vector: number[];
    filterSql: SQL;
    limit: number;
    restrictIds?: string[];
    /** HNSW candidate list size: higher finds more of the exact top k, slower. */
    efSearch: number;
    /** The ANN index's shadow table (see pgvector-ann.ts), or null/absent to read `chunks` alone. */
    annTable?: string | null;
  },
): Promise<Map<string, number>> {
  if (q.vector.length !== dim) {
    throw new Error(`query vector has ${q.vector.length} dimensions, the index has ${dim}`);
  }
  const literal = vectorLiteral(q.vector);
  const vec = q.annTable ? sql`vec` : sql`embedding::vector(${sql.raw(String(dim))})`;
  const distance = sql`(${vec} <=> ${literal}::vector(${sql.raw(String(dim))}))`;
  // `using (id)`: the filters' unqualified columns stay unambiguous (the shadow has only id and vec).
  const from = q.annTable ? sql`chunks join ${sql.raw(q.annTable)} using (id)` : sql`chunks`;
  const restrict = q.restrictIds ? sql`and id = any(${sql.param(q.restrictIds)}::uuid[])` : sql``;
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
    await tx.execute(
      sql.raw(`set local hnsw.ef_search = ${Math.min(Math.max(q.efSearch, q.limit * 2), 1000)}`),
    );
    const res = await queryRows(
      tx,
      sql`
      select id::text as id, 1 - ${distance} as score from ${from}
      where user_id = ${q.userId} ${q.filterSql} ${restrict}
      order by ${distance}
      limit ${q.limit}`,
    );
    return res;
  });
  const sorted = rows
    .map((r) => [String(r.id), Number(r.score)] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(sorted);
}
