import { stemmer } from 'stemmer';

import { ENGLISH_STOPWORDS } from './stopwords';

/**
 * BM25 tokenizer for Vietnamese and English.
 *
 * Every word is NFC-normalised and lower-cased and yields its *folded* term (diacritics removed, đ → d),
 * so "những", "nhung" and "Nhưng" meet at `nhung`. A word written with diacritics also yields its exact
 * accented form, so a query typed with diacritics matches precisely (`mà` does not match `má`) while one
 * typed without them matches every accented spelling through the folded term.
 *
 * English stemming (Porter) applies to English passages only, never to Vietnamese: Porter rules turn
 * the unaccented syllable "may" (máy, machine) into "mai" (mai, tomorrow), "ly" into "li", "tuy" into
 * "tui". Each passage is classified once ({@link looksVietnamese}); in an English passage every ASCII
 * word is indexed as its stem in a namespace of its own (`~stem`), which no Vietnamese term can equal,
 * so an English stem never collides with a Vietnamese syllable even in a mixed collection. A query word
 * typed without diacritics cannot be told apart (is "may" English or máy?), so it searches both: its
 * folded term (Vietnamese passages) and its stem (English passages); a passage holds one or the other.
 */

/**
 * Bumped whenever the terms a text yields change: an index built by another version is re-tokenized
 * from the stored chunk texts at start-up (`adapters/vector/retokenize.ts`).
 */
export const TOKENIZER_VERSION = 2;

/** Prefix of English stems: not a letter, mark or digit, so no word's folded term starts with it. */
export const STEM_PREFIX = '~';

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
  // `match` with the global flag returns the matched strings only: `matchAll`'s match objects (one
  // array with index, input and groups per word) were most of the tokenizer's garbage.
  const lower = text.normalize('NFC').toLowerCase();
  // One scan of the text instead of one per word: most texts hold no CJK at all.
  const cjk = CJK.test(lower);
  for (const word of lower.match(WORD) ?? []) {
    if (word.length > MAX_WORD_LENGTH) continue;
    if (cjk && CJK.test(word)) {
      for (const ch of word) out.push(ch);
    } else {
      out.push(word);
    }
  }
  return out;
}

/**
 * One Vietnamese syllable once folded: an optional onset, one to three vowels, an optional final
 * consonant from the few Vietnamese allows. English words with f, j, w, z, consonant clusters or other
 * finals ("proteins", "indexed", "cell") never match; short ones ("the", "man", "day") may.
 */
const VIETNAMESE_SYLLABLE =
  /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|nh|ng|[cmnpt])?$/;

type WordForms = {
  folded: string;
  term: string;
  accented: boolean;
  /** The word's term in an English passage: its namespaced stem when ASCII, else its folded form. */
  english: string;
  /** Whether the folded word has a letter, and reads as a Vietnamese syllable ({@link looksVietnamese}). */
  letter: boolean;
  syllable: boolean;
};
const formsCache = new Map<string, WordForms>();
const ASCII_WORD = /^[a-z]+$/;

/**
 * A lower-cased word's folded term, its Porter stem (when the folded term is an ASCII word), whether
 * it carries diacritics, and what the passage-level checks ask of it. Cached: the vocabulary is small
 * next to the text, and folding (two normalisations) and the regular expressions per occurrence were
 * the tokenizer's cost.
 */
function wordForms(word: string): WordForms {
  let forms = formsCache.get(word);
  if (forms === undefined) {
    const folded = foldDiacritics(word);
    const ascii = ASCII_WORD.test(folded);
    const term = ascii ? stemmer(folded) : folded;
    if (formsCache.size > 200_000) formsCache.clear();
    forms = {
      folded,
      term,
      accented: folded !== word,
      english: ascii ? STEM_PREFIX + term : folded,
      letter: /\p{L}/u.test(folded),
      syllable: VIETNAMESE_SYLLABLE.test(folded),
    };
    formsCache.set(word, forms);
  }
  return forms;
}

/**
 * The folded, Porter-stemmed form of one lower-cased word, whatever its language: the hashing
 * embedder's word feature (its vectors must not change with the BM25 tokenizer).
 */
export function foldedTerm(word: string): string {
  return wordForms(word).term;
}

/** True when a lower-cased word carries diacritics (cached {@link hasDiacritics} for single words). */
export function wordHasDiacritics(word: string): boolean {
  return wordForms(word).accented;
}

/**
 * True when a passage reads as Vietnamese: a fifth of its words are Vietnamese syllables written with
 * diacritics (José or Müller are not: j, ll), or — typed without them — nearly all of its words (at
 * least three) are possible Vietnamese syllables, which English prose (with/this/results) never is.
 */
export function looksVietnamese(passage: readonly string[]): boolean {
  let letters = 0;
  let accented = 0;
  let syllables = 0;
  for (const word of passage) {
    const forms = wordForms(word);
    if (!forms.letter) continue;
    letters++;
    if (!forms.syllable) continue;
    syllables++;
    if (forms.accented) accented++;
  }
  if (letters === 0) return false;
  return accented >= letters * 0.2 || (letters >= 3 && syllables >= letters * 0.85);
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

/** The indexed words of a passage in order (stop words skipped): each word's term and accented form. */
export type PassageTerms = {
  english: boolean;
  /** Per word: its term (folded, or the namespaced stem in English) and its accented form, if any. */
  terms: string[];
  accented: (string | null)[];
};

/**
 * The indexed words of a passage, in order. `english` forces the passage's language (a heading is
 * tokenized in the language of its chunk); by default it is detected from the passage itself.
 */
export function passageTerms(text: string, english?: boolean): PassageTerms {
  return passageTermsOf(words(text), english);
}

/** {@link passageTerms} of a passage already split into {@link words}. */
export function passageTermsOf(all: readonly string[], english?: boolean): PassageTerms {
  const isEnglish = english ?? !looksVietnamese(all);
  const terms: string[] = [];
  const accented: (string | null)[] = [];
  for (const word of all) {
    if (isStopword(word)) continue;
    const forms = wordForms(word);
    terms.push(isEnglish ? forms.english : forms.folded);
    accented.push(forms.accented ? word : null);
  }
  return { english: isEnglish, terms, accented };
}

/**
 * Terms of a passage to index. Vietnamese: folded terms for every word, plus accented forms where they
 * differ, never stemmed. English: namespaced stems of ASCII words (folded terms of the others), plus
 * accented forms.
 */
export function documentTerms(text: string, english?: boolean): DocumentTerms {
  return documentTermsOf(passageTerms(text, english));
}

/** {@link documentTerms} of a passage already tokenized. */
export function documentTermsOf({ terms, accented }: PassageTerms): DocumentTerms {
  const tf = new Map<string, number>();
  terms.forEach((term, i) => {
    tf.set(term, (tf.get(term) ?? 0) + 1);
    const exact = accented[i];
    if (exact) tf.set(exact, (tf.get(exact) ?? 0) + 1);
  });
  return { tf, length: terms.length };
}

/**
 * Terms of a query with their query frequency. An accented word searches its exact accented form. A
 * word typed without diacritics searches its folded term (Vietnamese passages) and its English stem
 * (English passages): one passage holds at most one of the two, so a passage's score counts the word
 * once.
 */
export function queryTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) + 1);
  for (const word of words(text)) {
    if (isStopword(word)) continue;
    const forms = wordForms(word);
    if (forms.accented) {
      add(word);
      continue;
    }
    add(forms.folded);
    if (forms.english !== forms.folded) add(forms.english);
  }
  return terms;
}
