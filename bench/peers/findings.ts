import type { SetLanguage } from './engine';

/**
 * Why a keyword peer ranks below the plain BM25 reference, found by reading its scoring code and
 * re-running the reference with the suspected cause added (bench/peers/diagnose.ts; README "Peers").
 * Keyed by engine, or engine:language where the cause is the language's.
 */
const FINDINGS: Record<string, string> = {
  'fts5-unicode61:english':
    'BM25 variant, not a defect: bm25() is fixed at k1 1.2, b 0.75, its idf log((N-n+0.5)/(n+0.5)) ' +
    'has no "1 +" (words in over half the rows score ~0) and an OR of words counts a repeated query ' +
    'word once; the reference with exactly these three changes scores 0.6187 on scifact, as FTS5 does.',
  'fts5-unicode61:vietnamese':
    'remove_diacritics folds Vietnamese tone marks, so distinct words meet (ma, má, mà, mả, mã, mạ); ' +
    'the reference keeps them. Same BM25 variant as on English (k1 1.2, b 0.75, idf without "1 +").',
  'fts5-porter:english': 'same BM25 variant as fts5-unicode61 (k1 1.2, b 0.75, idf without "1 +").',
  'lancedb-fts:vietnamese':
    'ascii_folding (a documented default) drops Vietnamese tone marks, merging distinct words; ' +
    'stemming and stop words are off on Vietnamese.',
  minisearch:
    'MiniSearch multiplies each score by the number of distinct query words the document matched ' +
    '(search(): score * quality); the reference with that factor drops from 0.6243 to 0.5840 on scifact ' +
    '(MiniSearch 0.5933); its k/b/d and the stop words are not the cause (0.584-0.589 when changed).',
  'orama-bm25':
    'prefix expansion: every query token also matches every indexed word it begins (radix find ' +
    'without exact), and stemming makes tokens shorter, so they expand to more words; with whole-term ' +
    'tokens (orama-wholeterm-bm25) scifact goes from 0.25 to 0.51. The rest is its BM25 (below).',
  'orama-wholeterm-bm25':
    "Orama's BM25 is fed tf = occurrences / field length (components/index.js) in a formula made for " +
    'raw counts, with BM25+ delta 0.5, and its tokenizer drops duplicate tokens (tf = 1): term frequency ' +
    'hardly moves a score. Keeping duplicates (allowDuplicates) does not help (0.48 on scifact).',
};

export function belowReferenceFinding(engine: string, language: SetLanguage): string {
  return FINDINGS[`${engine}:${language}`] ?? FINDINGS[engine] ?? 'not explained';
}
