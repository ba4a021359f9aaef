import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from './sql-rows';
import { bm25Idf, type Bm25Params } from '../../domain/search/bm25';
import { queryTerms } from '../../domain/search/tokenizer';
import type { ChunkFilter } from '../../ports/vector-index';
import type { Bm25Cache } from './bm25-cache';
import type { UserPostings } from './bm25-postings';
import { readVersion } from './pgvector-stats';
import { chunkFilterSql } from './pgvector-filters';
import { optionedKeyword } from './keyword-rerank';
import {
  beyondBm25,
  PLAIN_KEYWORD,
  type KeywordOptions,
} from '../../domain/search/keyword-options';

/** Above this many chunks, candidate generation in SQL skips very common query terms. */
const PRUNE_ABOVE = 20_000;

/** Query terms with their BM25 weight (idf × query frequency) from the user's corpus statistics. */
async function weightedTerms(db: Db, userId: string, qtf: Map<string, number>) {
  const terms = [...qtf.keys()];
  const stats = await queryRows(
    db,
    sql`
    select (select doc_count from index_stats where user_id = ${userId}) as n,
           (select total_tokens from index_stats where user_id = ${userId}) as total,
           (select version::text from index_stats where user_id = ${userId}) as version,
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
  const selective = present.filter((t) => (dfs[t] ?? 0) <= docCount * 0.25);
  return {
    terms: present,
    candidateTerms: docCount > PRUNE_ABOVE && selective.length ? selective : present,
    weights: present.map((t) => bm25Idf(docCount, dfs[t] ?? 0) * (qtf.get(t) ?? 0)),
    avgLength: Number(row?.total ?? 0) / docCount,
    version: String(row?.version),
  };
}

type Weighted = NonNullable<Awaited<ReturnType<typeof weightedTerms>>>;

/**
 * BM25 in SQL over the user's chunks: candidates come from the GIN index (`terms @@ t1 | t2 …`), each
 * term's frequency is its number of positions in the chunk's tsvector. `restrict` narrows to given ids.
 */
async function sqlBm25(
  db: Db,
  params: Bm25Params,
  w: Weighted,
  q: { userId: string; filterSql: SQL; limit: number; restrictIds?: string[] },
): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  // Terms are letters, marks and digits only (our tokenizer), so quoting them is enough.
  const tsquery = w.candidateTerms.map((t) => `'${t}'`).join(' | ');
  const { base: lengthBase, slope: lengthSlope } = lengthLine(params, w.avgLength);
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

/** k1·(1 − b + b·len/avg) = base + slope·len */
function lengthLine(params: Bm25Params, avgLength: number) {
  return {
    k1: params.k1,
    base: params.k1 * (1 - params.b),
    slope: (params.k1 * params.b) / (avgLength || 1),
  };
}

export type KeywordResult = {
  /** The best chunks, best first. */
  top: Map<string, number>;
  /** The in-memory postings that scored them, at the version just read (they may hold the chunks). */
  postings?: UserPostings;
  /** Exact BM25 of further chunks (hybrid fusion needs both scores of every candidate). */
  of(ids: string[]): Promise<Map<string, number>>;
};

const NONE: KeywordResult = { top: new Map(), of: () => Promise.resolve(new Map()) };

/** BM25 (with the keyword options) from the in-memory postings alone: no database read. */
function memoryKeyword(
  postings: UserPostings,
  qtf: Map<string, number>,
  params: Bm25Params,
  q: { filter?: ChunkFilter; limit: number; options: KeywordOptions },
): KeywordResult {
  const { docCount, avgLength, df } = postings.stats(qtf.keys());
  // No query word in the user's chunks: no keyword hits, but the postings still serve the semantic side
  // of a hybrid search (dropping them sent it to SQL).
  if (docCount === 0 || df.size === 0) return { ...NONE, postings };
  const scores = optionedKeyword(
    postings,
    qtf,
    lengthLine(params, avgLength),
    q.options,
    q.filter?.fileIds,
  );
  return {
    top: scores.top(q.limit),
    postings,
    of: (ids) => Promise.resolve(scores.of(ids)),
  };
}

/** Filters the in-memory copy can apply itself: files only. */
function memoryFilter(filter?: ChunkFilter): boolean {
  const { pages, filenames } = filter ?? {};
  return !pages?.length && !filenames?.length;
}

/** The user's in-memory postings if they hold the index at its current version (at most one indexed read). */
export async function cachedPostings(
  db: Db,
  cache: Bm25Cache | null,
  userId: string,
  filter?: ChunkFilter,
  wait = false,
): Promise<UserPostings | null> {
  if (!cache || !memoryFilter(filter)) return null;
  const version = () => readVersion(db, userId);
  return wait ? cache.ensure(userId, version) : cache.lookup(userId, version);
}

/**
 * BM25 over the user's chunks. Served from the in-memory postings when the cache holds the user's index
 * at the version just read from the database (one indexed read: statistics, scores and hit texts all
 * come from memory), else with statistics and scores in SQL (while the copy loads); both give the same
 * BM25 scores (the in-memory path is also exhaustive where SQL prunes very common terms). The keyword
 * options (title weight, proximity, RM3) need the chunk texts in memory: the SQL fallback is plain BM25.
 */
export async function keywordSearch(
  db: Db,
  params: Bm25Params,
  cache: Bm25Cache | null,
  q: {
    userId: string;
    text: string;
    filter?: ChunkFilter;
    limit: number;
    options?: KeywordOptions;
  },
): Promise<KeywordResult> {
  const qtf = queryTerms(q.text);
  if (qtf.size === 0) return NONE;
  const options = q.options ?? PLAIN_KEYWORD;
  // Options beyond plain BM25 need the chunk texts in memory: such a search waits for the user's copy
  // to load (once), so its results never depend on what the cache happens to hold.
  const postings = await cachedPostings(db, cache, q.userId, q.filter, beyondBm25(options));
  if (postings) return memoryKeyword(postings, qtf, params, { ...q, options });
  const w = await weightedTerms(db, q.userId, qtf);
  if (!w) return NONE;
  const filterSql = chunkFilterSql(q.filter);
  const base = { userId: q.userId, filterSql };
  return {
    top: await sqlBm25(db, params, w, { ...base, limit: q.limit }),
    of: async (ids) =>
      ids.length
        ? sqlBm25(db, params, w, { ...base, limit: ids.length, restrictIds: ids })
        : new Map(),
  };
}
