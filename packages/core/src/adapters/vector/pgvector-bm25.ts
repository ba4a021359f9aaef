import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from './sql-rows';
import { bm25Idf, type Bm25Params } from '../../domain/search/bm25';
import { queryTerms } from '../../domain/search/tokenizer';

/** Above this many chunks, candidate generation skips very common query terms. */
const PRUNE_ABOVE = 20_000;

/** Query terms with their BM25 weight (idf × query frequency) from the user's corpus statistics. */
async function weightedTerms(db: Db, userId: string, text: string) {
  const qtf = queryTerms(text);
  if (qtf.size === 0) return null;
  const terms = [...qtf.keys()];
  const stats = await queryRows(
    db,
    sql`
    select (select doc_count from index_stats where user_id = ${userId}) as n,
           (select total_tokens from index_stats where user_id = ${userId}) as total,
           coalesce((select json_object_agg(term, df) from term_stats
                     where user_id = ${userId} and term = any(${sql.param(terms)}::text[])), '{}') as dfs`,
  );
  const row = stats[0];
  const docCount = Number(row?.n ?? 0);
  if (docCount === 0) return null;
  const dfs = (typeof row?.dfs === 'string' ? JSON.parse(row.dfs) : row?.dfs) as Record<
    string,
    number
  >;
  const present = terms.filter((t) => (dfs[t] ?? 0) > 0);
  if (present.length === 0) return null;
  // On large corpora, candidates come from the selective terms only (df ≤ 25%): a chunk holding only
  // very common terms rarely outranks one holding a rare term, and those terms would pull in most of
  // the table. Small corpora stay exhaustive.
  const selective = present.filter((t) => dfs[t]! <= docCount * 0.25);
  return {
    terms: present,
    candidateTerms: docCount > PRUNE_ABOVE && selective.length ? selective : present,
    weights: present.map((t) => bm25Idf(docCount, dfs[t]!) * qtf.get(t)!),
    avgLength: Number(row?.total ?? 0) / docCount,
  };
}

/**
 * BM25 over the user's chunks: candidates come from the GIN index (`terms @@ t1 | t2 …`), each term's
 * frequency is its number of positions in the chunk's tsvector. `restrict` narrows to given chunk ids.
 */
export async function bm25Search(
  db: Db,
  params: Bm25Params,
  q: { userId: string; text: string; filterSql: SQL; limit: number; restrictIds?: string[] },
): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  const w = await weightedTerms(db, q.userId, q.text);
  if (!w) return scores;
  // Terms are letters, marks and digits only (our tokenizer), so quoting them is enough.
  const tsquery = w.candidateTerms.map((t) => `'${t}'`).join(' | ');
  // k1·(1 − b + b·len/avg) = lengthBase + lengthSlope·len
  const lengthBase = params.k1 * (1 - params.b);
  const lengthSlope = (params.k1 * params.b) / (w.avgLength || 1);
  const restrict = q.restrictIds ? sql`and c.id = any(${sql.param(q.restrictIds)}::uuid[])` : sql``;
  const res = await queryRows(
    db,
    sql`
    with q(term, weight) as (
      select * from unnest(${sql.param(w.terms)}::text[], ${sql.param(w.weights)}::float8[])
    ),
    cand as (
      select c.id, c.token_count, c.terms from chunks c
      where c.user_id = ${q.userId} and c.terms @@ ${tsquery}::tsquery ${q.filterSql} ${restrict}
    )
    select cand.id::text as id,
           sum(q.weight * t.tf * ${params.k1 + 1}::float8 / (t.tf + ${lengthBase}::float8 + ${lengthSlope}::float8 * cand.token_count)) as score
    from cand
    -- Only the query's lexemes: mark them (setweight … lexemes) and keep the marked ones (ts_filter),
    -- instead of unnesting every term of every candidate.
    cross join lateral (
      select lexeme, array_length(positions, 1)::float8 as tf
      from unnest(ts_filter(setweight(cand.terms, 'A', ${sql.param(w.terms)}::text[]), '{a}'))
    ) t
    join q on q.term = t.lexeme
    group by cand.id
    order by score desc, cand.id
    limit ${q.limit}::int`,
  );
  for (const r of res) scores.set(String(r.id), Number(r.score));
  return scores;
}
