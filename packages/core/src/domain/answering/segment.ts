/** Words of any script: Intl.Segmenter for scripts written without spaces, a letter/digit run elsewhere. */

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_.@/-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Lower-cased, NFC, diacritics folded (`đ` → `d`), so "Hà Nội" and "ha noi" match. */
export function foldTerm(word: string): string {
  return word
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/[-'’_.]+$/, '');
}

export type Token = { surface: string; term: string; start: number; end: number };

function push(out: Token[], surface: string, start: number): void {
  const term = foldTerm(surface);
  if (term) out.push({ surface, term, start, end: start + surface.length });
}

/** Words with their original spelling and their folded matching form. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const nfc = text.normalize('NFC');
  for (const m of nfc.matchAll(WORD)) {
    if (!UNSPACED.test(m[0])) {
      push(out, m[0], m.index);
      continue;
    }
    for (const s of segmenter.segment(m[0]))
      if (s.isWordLike) push(out, s.segment, m.index + s.index);
  }
  return out;
}
