import { bm25TermScore, type Bm25Params } from './bm25';
import type { DocumentTerms } from './tokenizer';

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
  const entries = [...weights].sort((a, b) => a[0] - b[0]);
  return { indices: entries.map(([i]) => i), values: entries.map(([, w]) => w) };
}

/**
 * The database adapter stores term frequencies as tsvector positions, which keep at most 256 per term;
 * sparse vectors count the same way so both adapters score a chunk alike.
 */
const MAX_TF = 256;

/**
 * A passage's terms as a BM25 sparse vector whose idf is applied by the query (see `weightedQueryVector`):
 * each value is the term's saturated, length-normalised frequency. The average length is a fixed
 * setting because the store does not know it.
 */
export function bm25TermsVector(
  doc: DocumentTerms,
  params: Bm25Params & { avgLength: number },
): SparseVector {
  const weights = new Map<number, number>();
  for (const [term, n] of doc.tf) {
    const id = termId(term);
    // idf = 1 here: the query vector carries each term's idf.
    const tf = Math.min(n, MAX_TF);
    weights.set(
      id,
      (weights.get(id) ?? 0) + bm25TermScore(1, tf, doc.length, params.avgLength, params),
    );
  }
  return toSparse(weights);
}

/** A query as a sparse vector with a given weight per term (e.g. idf × query frequency). */
export function weightedQueryVector(weights: Iterable<[string, number]>): SparseVector {
  const byId = new Map<number, number>();
  for (const [term, w] of weights) {
    const id = termId(term);
    byId.set(id, (byId.get(id) ?? 0) + w);
  }
  return toSparse(byId);
}
