export {
  documentTerms,
  foldDiacritics,
  foldedTerm,
  hasDiacritics,
  looksVietnamese,
  queryTerms,
  STEM_PREFIX,
  TOKENIZER_VERSION,
  words,
  type PassageTerms,
} from './tokenizer';
export { bm25Idf, bm25TermScore, DEFAULT_BM25, type Bm25Params } from './bm25';
export {
  calibratedScale,
  DEFAULT_FUSION_WEIGHT,
  effectiveAlpha,
  fuseHybrid,
  normaliseKeyword,
  normaliseSemantic,
} from './fusion';
export { bm25TermsVector, termId, weightedQueryVector, type SparseVector } from './sparse';
export {
  beyondBm25,
  DEFAULT_KEYWORD,
  keywordOptionsFrom,
  patchKeywordOptions,
  PLAIN_KEYWORD,
  type KeywordOptions,
  type KeywordOptionsPatch,
} from './keyword-options';
