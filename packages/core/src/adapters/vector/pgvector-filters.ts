import { sql, type SQL } from 'drizzle-orm';

import { AppError } from '../../errors';
import type { ChunkFilter, DeleteFilter, MatchCondition } from '../../ports/vector-index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps only well-formed UUIDs: a malformed id matches nothing instead of failing the cast. */
function uuids(values: (string | number)[]): string[] {
  return values.map(String).filter((v) => UUID.test(v));
}

function pages(values: (string | number)[]): number[] {
  return values.map(Number).filter((n) => Number.isInteger(n));
}

/** SQL for "the chunk matches any of these values" on one key. */
export function matchSql(cond: MatchCondition): SQL {
  switch (cond.key) {
    case 'file_id':
      return sql`file_id = any(${sql.param(uuids(cond.values))}::uuid[])`;
    case 'source':
      return sql`filename = any(${sql.param(cond.values.map(String))}::text[])`;
    case 'page':
      return sql`page = any(${sql.param(pages(cond.values))}::int[])`;
    default:
      throw new AppError('BAD_REQUEST', `Khóa lọc không được hỗ trợ: ${String(cond.key)}`);
  }
}

/** AND-ed conditions of a search filter (empty lists do not restrict). */
export function chunkFilterSql(filter: ChunkFilter | undefined): SQL {
  const parts: SQL[] = [];
  if (filter?.fileIds?.length) parts.push(matchSql({ key: 'file_id', values: filter.fileIds }));
  if (filter?.pages?.length) parts.push(matchSql({ key: 'page', values: filter.pages }));
  if (filter?.filenames?.length) parts.push(matchSql({ key: 'source', values: filter.filenames }));
  return parts.length ? sql`and ${sql.join(parts, sql` and `)}` : sql``;
}

/**
 * Qdrant semantics: every `must`, at least one `should` (when any), no `must_not`.
 * A null column never satisfies a match, so `must_not` on it holds (coalesce to false).
 */
export function deleteFilterSql(filter: DeleteFilter): SQL {
  const parts: SQL[] = filter.must.map((c) => sql`coalesce(${matchSql(c)}, false)`);
  if (filter.should.length) {
    parts.push(
      sql`(${sql.join(
        filter.should.map((c) => sql`coalesce(${matchSql(c)}, false)`),
        sql` or `,
      )})`,
    );
  }
  for (const c of filter.mustNot) parts.push(sql`not coalesce(${matchSql(c)}, false)`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}
