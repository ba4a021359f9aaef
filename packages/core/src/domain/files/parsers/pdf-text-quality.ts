/**
 * Is a PDF page's text layer worth indexing? Fonts without a ToUnicode map give pdf.js glyph codes
 * instead of characters: control characters, private-use code points, U+FFFD, or letters of several
 * scripts run together. Such a page is marked as needing OCR instead of being indexed as noise.
 */

export type TextLayerVerdict =
  /** Real text: index it as it is. */
  | 'usable'
  /** Little or no text (a scan, a figure): OCR when the page paints images. */
  | 'sparse'
  /** Glyph codes, not text: OCR it, never index it. */
  | 'garbage';

/** Fewer visible characters than this: the page has (almost) no text layer. */
export const SPARSE_CHARS = 40;
/** Share of visible characters that are font codes (controls, private use, U+FFFD) in a garbage layer. */
const MAX_JUNK_SHARE = 0.2;
/** Share of visible characters that are letters, marks or digits in any real text (tables included). */
const MIN_WORD_CHAR_SHARE = 0.4;
/** Share of words mixing letters of unrelated scripts (Latin with Greek, Cyrillic, Arabic…). */
const MAX_MIXED_SCRIPT_SHARE = 0.3;

// eslint-disable-next-line no-control-regex
const JUNK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ue000-\uf8ff\ufffd]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/u;
const LATIN = /\p{Script=Latin}/u;
/** Scripts whose letters never share a word with Latin or with one another in real text. */
const OTHER_SCRIPTS = [
  /\p{Script=Greek}/u,
  /\p{Script=Cyrillic}/u,
  /\p{Script=Arabic}/u,
  /\p{Script=Hebrew}/u,
  /\p{Script=Armenian}/u,
  /\p{Script=Georgian}/u,
];
const ANY_OTHER_SCRIPT = new RegExp(OTHER_SCRIPTS.map((r) => r.source).join('|'), 'u');

function isMixedScript(word: string): boolean {
  if (!ANY_OTHER_SCRIPT.test(word)) return false;
  if (LATIN.test(word)) return true;
  return OTHER_SCRIPTS.filter((script) => script.test(word)).length > 1;
}

/** Share of the words (letter runs of ≥ 3 characters) written in two or more scripts at once. */
function mixedScriptShare(text: string): number {
  // Most pages are Latin-only (English, Vietnamese…): nothing to mix, no word to look at.
  if (!ANY_OTHER_SCRIPT.test(text)) return 0;
  let words = 0;
  let mixed = 0;
  for (const m of text.matchAll(/[\p{L}\p{M}]{3,}/gu)) {
    words++;
    if (isMixedScript(m[0])) mixed++;
  }
  return words === 0 ? 0 : mixed / words;
}

/** Visible, junk and word characters of a text (an ASCII fast path: this runs on every page). */
function countChars(text: string): { visible: number; junk: number; wordChars: number } {
  let visible = 0;
  let junk = 0;
  let wordChars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
      visible++;
      if (c < 0x20 || c === 0x7f) junk++;
      else if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) wordChars++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    if (cp > 0xffff) i++;
    const ch = String.fromCodePoint(cp);
    if (SPACE.test(ch)) continue;
    visible++;
    if (JUNK.test(ch)) junk++;
    else if (WORD_CHAR.test(ch)) wordChars++;
  }
  return { visible, junk, wordChars };
}

/** Judges the raw (uncleaned) text of one page. */
export function judgeTextLayer(text: string): TextLayerVerdict {
  const { visible, junk, wordChars } = countChars(text);
  if (visible === 0) return 'sparse';
  if (junk / visible > MAX_JUNK_SHARE) return 'garbage';
  if (visible >= SPARSE_CHARS && wordChars / visible < MIN_WORD_CHAR_SHARE) return 'garbage';
  if (visible >= SPARSE_CHARS && mixedScriptShare(text) > MAX_MIXED_SCRIPT_SHARE) return 'garbage';
  return visible - junk < SPARSE_CHARS ? 'sparse' : 'usable';
}
