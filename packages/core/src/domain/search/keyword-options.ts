/**
 * Options of the keyword side beyond plain BM25, per passage language, each off at 0. Title weight and
 * proximity re-rank the best chunks of the BM25 pass (`depth` of them, at least the number asked
 * for), so their cost is bounded by that depth, not by the collection.
 */
export type LanguageKeywordOptions = {
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
  /**
   * A query term counts once however often the query repeats it (BM25's query-frequency factor with
   * k3 = 0): a claim repeats a word, or two forms of one stem, as grammar, not as emphasis. English: the
   * query's stems (the terms only English passages hold); Vietnamese: its other terms.
   */
  termsOnce: boolean;
};

/**
 * Chunks are English or Vietnamese (`looksVietnamese`): title weight and proximity follow each chunk's
 * language, RM3 the language of most of its feedback chunks.
 */
export type KeywordOptions = {
  english: LanguageKeywordOptions;
  vietnamese: LanguageKeywordOptions;
  /** Chunks of the first pass re-ranked by title weight and proximity. */
  depth: number;
};

export const PROXIMITY_WINDOW = 5;

const OFF: LanguageKeywordOptions = {
  titleWeight: 0,
  proximity: 0,
  rm3: { docs: 0, terms: 0, originalWeight: 1 },
  termsOnce: false,
};

export const PLAIN_KEYWORD: KeywordOptions = { english: OFF, vietnamese: OFF, depth: 100 };

/**
 * The defaults, each chosen on the even half of every dev set's queries and confirmed on the odd half
 * (README "Keyword options"). English: title weight 0.5 (scifact +0.011 / +0.004; msmarco has no
 * titles), query terms once (scifact keyword +0.007 / +0.004, hybrid +0.005 / +0.005; msmarco's
 * queries repeat no stem); proximity and RM3 stay off (each loses on a half of scifact, RM3 gains only
 * on msmarco). Vietnamese: proximity 0.5 (+0.013 to +0.029 on every half, with and without
 * diacritics: a word is often two or three syllables, so nearness stands for the word); title weight,
 * RM3 and terms once off (once loses alqac's odd half: a repeated syllable there is often a word).
 */
export const DEFAULT_KEYWORD: KeywordOptions = {
  english: { ...OFF, titleWeight: 0.5, termsOnce: true },
  vietnamese: { ...OFF, proximity: 0.5 },
  depth: 100,
};

function active(o: LanguageKeywordOptions): boolean {
  return o.titleWeight > 0 || o.proximity > 0 || rm3Active(o.rm3) || o.termsOnce;
}

export function rm3Active(r: LanguageKeywordOptions['rm3']): boolean {
  return r.docs > 0 && r.terms > 0 && r.originalWeight < 1;
}

/** True when the options change anything over plain BM25. */
export function beyondBm25(o: KeywordOptions): boolean {
  return active(o.english) || active(o.vietnamese);
}

type LanguagePatch = Partial<Omit<LanguageKeywordOptions, 'rm3'>> & {
  rm3?: Partial<LanguageKeywordOptions['rm3']>;
};
/** Options over plain BM25: per language, or flat (both languages alike). */
export type KeywordOptionsPatch = LanguagePatch & {
  english?: LanguagePatch;
  vietnamese?: LanguagePatch;
  depth?: number;
};

function patchLanguage(
  base: LanguageKeywordOptions,
  p: LanguagePatch = {},
): LanguageKeywordOptions {
  return { ...base, ...p, rm3: { ...base.rm3, ...p.rm3 } };
}

/** Applies a patch (flat keys to both languages, then per-language keys) over `base`. */
export function patchKeywordOptions(
  base: KeywordOptions,
  patch: KeywordOptionsPatch,
): KeywordOptions {
  const { english, vietnamese, depth, ...flat } = patch;
  return {
    english: patchLanguage(patchLanguage(base.english, flat), english),
    vietnamese: patchLanguage(patchLanguage(base.vietnamese, flat), vietnamese),
    depth: depth ?? base.depth,
  };
}

/** `BM25_KEYWORD`: unset = the defaults, `plain` = plain BM25, else a JSON patch over the defaults. */
export function keywordOptionsFrom(raw: string | undefined): KeywordOptions {
  if (raw === undefined || raw === '') return DEFAULT_KEYWORD;
  if (raw === 'plain') return PLAIN_KEYWORD;
  try {
    return patchKeywordOptions(DEFAULT_KEYWORD, JSON.parse(raw) as KeywordOptionsPatch);
  } catch (e) {
    throw new Error(`BM25_KEYWORD must be "plain" or a JSON object: ${String(e)}`);
  }
}
