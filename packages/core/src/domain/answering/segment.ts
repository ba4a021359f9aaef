/** Words of any script: Intl.Segmenter for scripts written without spaces, a letter/digit run elsewhere. */

const COMBINING_MARKS = /\p{M}+/gu;
// Apostrophes split words: SQL's N'Park is "Park", French l'article is "article".
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_.@/-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Lower-cased, NFC, diacritics folded (`đ` → `d`), so "Hà Nội" and "ha noi" match. */
export function foldTerm(word: string): string {
  let term = folded.get(word);
  if (term === undefined) {
    if (folded.size > 50_000) folded.clear();
    term = fold(word);
    folded.set(word, term);
  }
  return term;
}

// Answer ranking folds the same words many times over; a bounded memo keeps it cheap.
const folded = new Map<string, string>();

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/[-'’_.]+$/, '');
}

export type Token = {
  surface: string;
  term: string;
  start: number;
  end: number;
  /** A word inside an identifier ("Html" of "convertToHtml"): matches, but is no word of its own. */
  part?: true;
};

function push(out: Token[], surface: string, start: number, part = false): void {
  const term = foldTerm(surface);
  if (!term) return;
  out.push(
    part
      ? { surface, term, start, end: start + surface.length, part: true as const }
      : { surface, term, start, end: start + surface.length },
  );
}

// An identifier that splits into words: "mammoth.convertToHtml", "peer-to-peer".
const COMPOUND = /[._/@-]|\p{Ll}\p{Lu}/u;

/**
 * Words with their original spelling and their folded matching form. An identifier without digits
 * also yields its parts, so "convertToHtml" matches "convert" and "html".
 */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const nfc = text.normalize('NFC');
  for (const m of nfc.matchAll(WORD)) {
    if (!UNSPACED.test(m[0])) {
      push(out, m[0], m.index);
      if (COMPOUND.test(m[0]) && !/\d/.test(m[0]))
        for (const p of m[0].matchAll(/\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})/gu))
          if (p[0].length > 1 && p[0] !== m[0]) push(out, p[0], m.index + p.index, true);
      continue;
    }
    for (const s of segmenter.segment(m[0]))
      if (s.isWordLike) push(out, s.segment, m.index + s.index);
  }
  return out;
}
