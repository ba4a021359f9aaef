import { bm25Idf } from '../../domain/search/bm25';
import { beyondBm25, rm3Active, type KeywordOptions } from '../../domain/search/keyword-options';
import {
  chunkTerms,
  keywordBoost,
  queryFrequencies,
  rm3Query,
  type ChunkTerms,
  type WeightedQueryTerm,
} from '../../domain/search/rerank';
import type { StoredChunk } from '../../ports/vector-index';
import type { UserPostings } from './bm25-postings';
import type { Bm25Shape, KeywordScores } from './posting-lists';

/** Tokenized chunks, kept as long as the chunk object itself (the in-memory postings hold it). */
const tokenized = new WeakMap<StoredChunk, ChunkTerms>();

function termsOf(chunk: StoredChunk): ChunkTerms {
  let terms = tokenized.get(chunk);
  if (!terms) tokenized.set(chunk, (terms = chunkTerms(chunk.content, chunk.section)));
  return terms;
}

/** Query terms weighted by idf over the postings' live chunks (terms absent from them dropped). */
export function weightQuery(
  postings: UserPostings,
  qtf: ReadonlyMap<string, number>,
): { terms: WeightedQueryTerm[]; docCount: number; avgLength: number } {
  const { docCount, avgLength, df } = postings.stats(qtf.keys());
  const terms = [...df].map(([term, n]) => ({
    term,
    weight: bm25Idf(docCount, n) * (qtf.get(term) ?? 0),
  }));
  return { terms, docCount, avgLength };
}

/** Orders ids by score, then id (the order of the plain BM25 path). */
const byScore = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * BM25 with the keyword options: query terms counted once where the language says so, RM3 re-scores the
 * whole collection with the expanded query, then the best `depth` chunks (at least the number asked for)
 * get the title and proximity additions of the original query's terms. Additions are never negative,
 * so the re-ranked head still outranks the rest.
 */
export function optionedKeyword(
  postings: UserPostings,
  query: ReadonlyMap<string, number>,
  shape: Bm25Shape,
  opts: KeywordOptions,
  fileIds?: string[],
): KeywordScores {
  const qtf = queryFrequencies(query, opts);
  const original = weightQuery(postings, qtf);
  let scores = postings.score(original.terms, shape, fileIds);
  if (!beyondBm25(opts)) return scores;
  const top = [...scores.top(Math.max(...[opts.english, opts.vietnamese].map((o) => o.rm3.docs)))];
  const feedback = top.flatMap(([id, score]) => {
    const chunk = postings.chunk(id);
    return chunk ? [{ chunk: termsOf(chunk), score }] : [];
  });
  // RM3 follows the language of most feedback chunks (the query's own language is unreliable
  // without diacritics).
  const englishFeedback = feedback.filter((f) => f.chunk.english).length * 2 >= feedback.length;
  const rm3 = (englishFeedback ? opts.english : opts.vietnamese).rm3;
  if (rm3Active(rm3) && feedback.length > 0) {
    const expanded = weightQuery(postings, rm3Query(qtf, feedback.slice(0, rm3.docs), rm3));
    scores = postings.score(expanded.terms, shape, fileIds);
  }
  const reranks = (o: KeywordOptions['english']) => o.titleWeight > 0 || o.proximity > 0;
  if (!reranks(opts.english) && !reranks(opts.vietnamese)) return scores;
  const boosts = new Map<string, number>();
  const positionsOf = postings.positionsFor(original.terms);
  const boostOf = (id: string) => {
    let boost = boosts.get(id);
    if (boost === undefined) {
      const at = positionsOf(id);
      const language = at?.english ? opts.english : opts.vietnamese;
      const norm = shape.base + shape.slope * postings.lengthOf(id);
      boost =
        at && reranks(language)
          ? keywordBoost(at, original.terms, { k1: shape.k1, norm }, language)
          : 0;
      boosts.set(id, boost);
    }
    return boost;
  };
  const base = scores;
  return {
    top(limit) {
      const head = [...base.top(Math.max(limit, opts.depth))].map(([id, s]): [string, number] => [
        id,
        s + boostOf(id),
      ]);
      return new Map(head.sort(byScore).slice(0, limit));
    },
    of(ids) {
      const plain = base.of(ids);
      const out = new Map<string, number>();
      for (const id of ids) {
        const s = (plain.get(id) ?? 0) + boostOf(id);
        if (s > 0) out.set(id, s);
      }
      return out;
    },
  };
}
