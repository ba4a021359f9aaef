import { bm25TermScore, type Bm25Params } from './bm25';
import { documentTerms, queryTerms } from './tokenizer';

export type SparseVector = { indices: number[]; values: number[] };

/** Stable 32-bit id of a term (FNV-1a + murmur finaliser); sparse vectors index terms by it. */
export function termId(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function toSparse(weights: Map<number, number>): SparseVector {
  const indices = [...weights.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((i) => weights.get(i)!) };
}

/**
 * A passage as a BM25 sparse vector for a store that applies idf itself (Qdrant's `modifier: idf`):
 * each value is the term's saturated, length-normalised frequency. The average length is a fixed
 * setting because the store does not know it.
 */
export function bm25DocumentVector(
  text: string,
  params: Bm25Params & { avgLength: number },
): SparseVector {
  const { tf, length } = documentTerms(text);
  const weights = new Map<number, number>();
  for (const [term, n] of tf) {
    const id = termId(term);
    // idf = 1 here: the store multiplies by its own idf at query time.
    weights.set(id, (weights.get(id) ?? 0) + bm25TermScore(1, n, length, params.avgLength, params));
  }
  return toSparse(weights);
}

/** A query as a sparse vector: one entry per query term, weighted by its frequency in the query. */
export function bm25QueryVector(text: string): SparseVector {
  const weights = new Map<number, number>();
  for (const [term, n] of queryTerms(text)) {
    const id = termId(term);
    weights.set(id, (weights.get(id) ?? 0) + n);
  }
  return toSparse(weights);
}
