/**
 * Options of the keyword side beyond plain BM25, each off at 0. They re-rank the best chunks of the
 * first BM25 pass (`depth` of them, at least the number asked for), so their cost is bounded by that
 * depth, not by the collection.
 */
export type KeywordOptions = {
  /**
   * BM25F-style field weighting: a query term in the chunk's heading (its `section`, the document title
   * for a Markdown upload) counts as `titleWeight` extra occurrences before BM25's saturation.
   */
  titleWeight: number;
  /**
   * Term proximity (BM25TP, Rasolofo & Savoy 2003): pairs of distinct query terms at most
   * {@link PROXIMITY_WINDOW} words apart add 1/distance² to both terms' proximity frequency, which is
   * saturated like a term frequency and weighted by idf; `proximity` scales that bonus.
   */
  proximity: number;
  /**
   * RM3 pseudo-relevance feedback: the best `docs` chunks of the first pass give a relevance model, its
   * `terms` heaviest terms join the query (weight `1 − originalWeight` against the original query's
   * `originalWeight`), and the expanded query is scored over the whole collection. `docs` 0 = off.
   */
  rm3: { docs: number; terms: number; originalWeight: number };
  /** Chunks of the first pass re-ranked by the options above. */
  depth: number;
};

export const PROXIMITY_WINDOW = 5;

export const PLAIN_KEYWORD: KeywordOptions = {
  titleWeight: 0,
  proximity: 0,
  rm3: { docs: 0, terms: 0, originalWeight: 1 },
  depth: 100,
};

/** The defaults, chosen on half of each dev set's queries and confirmed on the other half (README). */
export const DEFAULT_KEYWORD: KeywordOptions = PLAIN_KEYWORD;

/** True when the options change anything over plain BM25. */
export function beyondBm25(o: KeywordOptions): boolean {
  return o.titleWeight > 0 || o.proximity > 0 || (o.rm3.docs > 0 && o.rm3.terms > 0);
}

/**
 * Parses `BM25_TITLE_WEIGHT`, `BM25_PROXIMITY` and `BM25_RM3` (`docs,terms,originalWeight`, or `off`)
 * over the given defaults.
 */
export function keywordOptionsFrom(
  values: { titleWeight?: number; proximity?: number; rm3?: string },
  defaults: KeywordOptions,
): KeywordOptions {
  let rm3 = defaults.rm3;
  if (values.rm3 !== undefined) {
    if (values.rm3 === 'off' || values.rm3 === '0') rm3 = PLAIN_KEYWORD.rm3;
    else {
      const [docs, terms, originalWeight] = values.rm3.split(',').map(Number);
      if (
        !Number.isInteger(docs) ||
        !Number.isInteger(terms) ||
        originalWeight === undefined ||
        !(originalWeight >= 0 && originalWeight <= 1)
      )
        throw new Error(`BM25_RM3 must be "docs,terms,originalWeight" or "off": ${values.rm3}`);
      rm3 = { docs: docs ?? 0, terms: terms ?? 0, originalWeight };
    }
  }
  return {
    ...defaults,
    titleWeight: values.titleWeight ?? defaults.titleWeight,
    proximity: values.proximity ?? defaults.proximity,
    rm3,
  };
}
