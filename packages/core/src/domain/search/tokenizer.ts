import { stemmer } from 'stemmer';

import { ENGLISH_STOPWORDS } from './stopwords';

/**
 * BM25 tokenizer for Vietnamese and English.
 *
 * Every word is NFC-normalised and lower-cased. It always yields its *folded* term: diacritics removed
 * (đ → d), then Porter-stemmed, so "những" and "nhung" and "Nhưng" all meet at `nhung`, and "indexing"
 * meets "indexed". A word written with diacritics also yields its exact accented form, so a query typed
 * with diacritics can match precisely (`mà` does not match `má`) while a query typed without them matches
 * every accented spelling through the folded term.
 */

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** Longer "words" are hashes, base64 or glued garbage: useless for search, costly for the index. */
const MAX_WORD_LENGTH = 48;

/** Removes diacritics (Vietnamese and Latin), including đ/Đ which has no decomposition. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** True when the text carries Vietnamese / Latin diacritics. */
export function hasDiacritics(text: string): boolean {
  return foldDiacritics(text) !== text;
}

/** Splits text into lower-cased NFC words (CJK ideographs become one word each). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.normalize('NFC').toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length > MAX_WORD_LENGTH) continue;
    if (CJK.test(word)) {
      for (const ch of word) out.push(ch);
    } else {
      out.push(word);
    }
  }
  return out;
}

const stemCache = new Map<string, string>();

/** The folded, stemmed form of one lower-cased word (cached: the vocabulary is small next to the text). */
export function foldedTerm(word: string): string {
  let term = stemCache.get(word);
  if (term === undefined) {
    const folded = foldDiacritics(word);
    term = /^[a-z]+$/.test(folded) ? stemmer(folded) : folded;
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, term);
  }
  return term;
}

function isStopword(word: string): boolean {
  return ENGLISH_STOPWORDS.has(word);
}

export type DocumentTerms = {
  /** term → frequency in the document. */
  tf: Map<string, number>;
  /** Number of indexed words (BM25 document length). */
  length: number;
};

/** Terms of a passage to index: folded terms for every word, plus accented forms where they differ. */
export function documentTerms(text: string): DocumentTerms {
  const tf = new Map<string, number>();
  let length = 0;
  for (const word of words(text)) {
    if (isStopword(word)) continue;
    length++;
    const folded = foldedTerm(word);
    tf.set(folded, (tf.get(folded) ?? 0) + 1);
    if (hasDiacritics(word)) tf.set(word, (tf.get(word) ?? 0) + 1);
  }
  return { tf, length };
}

/**
 * Terms of a query with their query frequency: an accented word searches its exact accented form,
 * a word typed without diacritics searches the folded form (matching every accented spelling).
 */
export function queryTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const word of words(text)) {
    if (isStopword(word)) continue;
    const term = hasDiacritics(word) ? word : foldedTerm(word);
    terms.set(term, (terms.get(term) ?? 0) + 1);
  }
  return terms;
}
