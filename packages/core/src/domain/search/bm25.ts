/** BM25 parameters; k1 saturates term frequency, b normalises by document length. */
export type Bm25Params = { k1: number; b: number };

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/** Lucene's BM25 idf: always positive, so very common terms still count a little. */
export function bm25Idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** One term's BM25 contribution for a document. */
export function bm25TermScore(
  idf: number,
  tf: number,
  docLength: number,
  avgLength: number,
  p: Bm25Params,
): number {
  const norm = p.k1 * (1 - p.b + (p.b * docLength) / (avgLength || 1));
  return (idf * tf * (p.k1 + 1)) / (tf + norm);
}
