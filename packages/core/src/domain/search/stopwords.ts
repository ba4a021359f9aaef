/**
 * Lucene's English stopwords, minus the ones that are also common Vietnamese syllables once diacritics
 * are dropped ("an" toàn, "to" chức, "in" ấn, "no", "on" định, "it", "be", "but", "not", "that" sự):
 * removing those would break searches typed without diacritics.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a',
  'and',
  'are',
  'as',
  'at',
  'by',
  'for',
  'if',
  'into',
  'is',
  'of',
  'or',
  'such',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'was',
  'will',
  'with',
]);
