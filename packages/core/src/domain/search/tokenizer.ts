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

type WordForms = { term: string; accented: boolean };
const formsCache = new Map<string, WordForms>();

/**
 * A lower-cased word's folded, stemmed term and whether it carries diacritics. Cached: the vocabulary
 * is small next to the text, and folding (two normalisations) per occurrence was the tokenizer's cost.
 */
function wordForms(word: string): WordForms {
  let forms = formsCache.get(word);
  if (forms === undefined) {
    const folded = foldDiacritics(word);
    const term = /^[a-z]+$/.test(folded) ? stemmer(folded) : folded;
    if (formsCache.size > 200_000) formsCache.clear();
    formsCache.set(word, (forms = { term, accented: folded !== word }));
  }
  return forms;
}

/** The folded, stemmed form of one lower-cased word. */
export function foldedTerm(word: string): string {
  return wordForms(word).term;
}

/** True when a lower-cased word carries diacritics (cached {@link hasDiacritics} for single words). */
export function wordHasDiacritics(word: string): boolean {
  return wordForms(word).accented;
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
    const { term, accented } = wordForms(word);
    tf.set(term, (tf.get(term) ?? 0) + 1);
    if (accented) tf.set(word, (tf.get(word) ?? 0) + 1);
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
    const forms = wordForms(word);
    const term = forms.accented ? word : forms.term;
    terms.set(term, (terms.get(term) ?? 0) + 1);
  }
  return terms;
}
