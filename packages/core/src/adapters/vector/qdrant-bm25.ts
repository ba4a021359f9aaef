import type { QdrantClient } from '@qdrant/js-client-rest';

import { bm25Idf, type Bm25Params } from '../../domain/search/bm25';
import type { KeywordOptions } from '../../domain/search/keyword-options';
import { queryFrequencies } from '../../domain/search/rerank';
import {
  bm25TermsVector,
  weightedQueryVector,
  type SparseVector,
} from '../../domain/search/sparse';
import { documentTerms, queryTerms } from '../../domain/search/tokenizer';
import { userCondition } from './qdrant-filters';

/**
 * BM25 on Qdrant with per-user statistics, scored exactly like the pgvector adapter. Documents carry
 * the saturated, length-normalised term frequencies (no idf: Qdrant's `idf` modifier counts every
 * tenant of the shared collection, which leaks whether a term occurs in other users' documents); the
 * query carries `bm25Idf(N, df) × qtf` with N and df counted over the user's own chunks, found through
 * each chunk's `terms` payload (a keyword index).
 */

/** Payload key holding a chunk's distinct BM25 terms. */
export const TERMS_KEY = 'terms';

/** The sparse vector and the payload terms of one chunk, from a single tokenization. */
export function chunkBm25(text: string, params: Bm25Params & { avgLength: number }) {
  const doc = documentTerms(text);
  return { vector: bm25TermsVector(doc, params), terms: [...doc.tf.keys()] };
}

/**
 * The query's sparse vector weighted by the user's statistics; empty when no query term occurs in
 * their chunks. The filter of the search is deliberately not applied: statistics cover all of the
 * user's chunks, so narrowing a search never changes a chunk's score (as in pgvector). Of the keyword
 * options only the query's own one applies here (`termsOnce`): the others re-rank chunk texts in memory.
 */
export async function userQueryVector(
  client: QdrantClient,
  collection: string,
  q: { userId: string; text: string },
  options?: Pick<KeywordOptions, 'english' | 'vietnamese'>,
): Promise<SparseVector> {
  const raw = queryTerms(q.text);
  const qtf = options ? queryFrequencies(raw, options) : raw;
  if (qtf.size === 0) return { indices: [], values: [] };
  const terms = [...qtf.keys()];
  const user = userCondition(q.userId);
  const count = async (must: (typeof user)[]) =>
    (await client.count(collection, { filter: { must }, exact: true })).count;
  // Qdrant has no batch count and its facet API cannot be limited to given values (it returns the
  // most frequent values of the matching points, which need not include the query's terms), so the
  // counts go out in parallel: one round trip.
  const [n, ...dfs] = await Promise.all([
    count([user]),
    ...terms.map((t) => count([user, { key: TERMS_KEY, match: { value: t } }])),
  ]);
  const weights: [string, number][] = [];
  terms.forEach((t, i) => {
    const df = dfs[i] ?? 0;
    if (df > 0) weights.push([t, bm25Idf(n ?? 0, df) * (qtf.get(t) ?? 0)]);
  });
  return weightedQueryVector(weights);
}
