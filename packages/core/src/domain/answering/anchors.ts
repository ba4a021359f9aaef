import type { Language } from './languages';
import { tokens, type Token } from './segment';
import { isStopWord } from './stop-words';

// A Latin word inside a Vietnamese question that no Vietnamese syllable spells (syllables have at most
// seven letters): an English term the user quoted ("recommendation", "javascript").
const LONG_LATIN = /^[a-z]{8,}$/i;

/**
 * The question's language-neutral words: names, acronyms, numbers, identifiers and quoted foreign
 * terms. They read the same in a document of another language ("IBM", "16/2019/DS-PT", "Kreate"),
 * so they carry cross-language questions, and a question whose anchors no passage holds is not
 * answered by those passages ("the capital of Australia" in documents that never name Australia).
 */
export function anchorTerms(question: string, language: Language): string[] {
  return [...new Set(anchorGroups(question, language).flat())];
}

/** Anchors grouped as the names they form: adjacent anchor words are one name ("Hà Nội", "Robert King"). */
export function anchorGroups(question: string, language: Language): string[][] {
  return anchorSpans(question, language).map((g) => g.terms);
}

/** Each anchor group with where it stands in the (NFC) question. */
export function anchorSpans(
  question: string,
  language: Language,
): { terms: string[]; start: number; end: number }[] {
  const text = question.normalize('NFC');
  const groups: { terms: string[]; start: number; end: number }[] = [];
  let last = -2;
  let lastEnd = 0;
  tokens(text)
    .filter((t) => !t.part)
    .forEach((t, i) => {
      if (isStopWord(t.surface, language)) return;
      if (!isAnchor(t, i === 0 || /[.?!¿¡]\s*$/.test(text.slice(0, t.start)), text, language))
        return;
      const adjacent = i === last + 1 && /^[\s._/@-]*$/.test(text.slice(lastEnd, t.start));
      const group = groups.at(-1);
      if (adjacent && group) {
        if (!group.terms.includes(t.term)) group.terms.push(t.term);
        group.end = t.end;
      } else groups.push({ terms: [t.term], start: t.start, end: t.end });
      last = i;
      lastEnd = t.end;
    });
  return groups;
}

// Titles before a name ("Mrs. L", "Dr Smith") are no name of their own: documents in another
// language write them differently ("bà L").
const HONORIFIC = /^(mr|mrs|ms|miss|dr|prof|sir|madam|mme|mlle|herr|frau|sr|sra|srta|dona|dom)$/i;

function isAnchor(t: Token, sentenceStart: boolean, text: string, language: Language): boolean {
  const s = t.surface;
  if (HONORIFIC.test(s)) return false;
  if (/\d/.test(s) || /[._/@]/.test(s.slice(1))) return true; // numbers, identifiers, "PDF.js"
  // A hyphen makes an identifier ("DS-PT", "PG-13"), not a compound word ("sous-projet", "re-render").
  if (/-/.test(s.slice(1)) && !/^[\p{Ll}-]+$/u.test(s)) return true;
  if (/^\p{Lu}{2,}$/u.test(s) || /\p{Ll}\p{Lu}/u.test(s)) return true; // IBM, OpenOffice
  // German capitalises every noun ("Beschleunigung"): a capital there says nothing about a name.
  if (language === 'de') return false;
  if (!sentenceStart && /^\p{Lu}/u.test(s) && s.length > 1) return true; // Kreate, Úc
  const quoted =
    /[("“'‘«][^)"”'’»]*$/.test(text.slice(0, t.start)) && /^[^(]*[)"”'’»]/.test(text.slice(t.end));
  if (language === 'vi' && /^[a-z]+$/i.test(s) && (LONG_LATIN.test(s) || quoted)) return true;
  return false;
}

/**
 * Do two folded terms name the same thing? Equal, a plural, or a shared stem of five letters or more
 * covering most of the shorter word: inflections ("grains"/"grain", "hired"/"hiredate") and
 * cognates across languages ("problema"/"problem", "converte"/"convert").
 */
/** A source word names an anchor: the same word, a stem of it, or the anchor with a suffix glued on ("43/2021/AL1"). */
export function namesAnchor(anchor: string, word: string): boolean {
  return word.startsWith(anchor)
    ? word.length - anchor.length <= 2 || (!/\d/.test(anchor) && sameStem(anchor, word))
    : sameStem(anchor, word);
}

export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long === `${short}s` || long === `${short}es`) return true;
  if (short.length < 5 || /\d/.test(short)) return false;
  let k = 0;
  while (k < short.length && short[k] === long[k]) k++;
  return k >= 5 && k >= 0.75 * short.length;
}

const bigrams = (w: string) => {
  const out: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) out.push(w.slice(i, i + 2));
  return out;
};

/**
 * Two folded words of different languages spelled alike: the same first letter and a Dice overlap
 * of their letter pairs of at least 0.7 ("projet"/"project", "aceleracion"/"acceleration",
 * "programme"/"program"). Orthographic similarity is the usual first test of cognates; it needs no
 * word list, so it works for any pair of Latin-script languages, and misses what is not spelled
 * alike ("fondee"/"founded" share a stem; "navigateur"/"browser" do not).
 */
export function isCognate(a: string, b: string): boolean {
  if (a.length < 5 || b.length < 5 || a[0] !== b[0] || /\d/.test(a) || /\d/.test(b)) return false;
  if (Math.abs(a.length - b.length) > 4) return false;
  const x = bigrams(a);
  const y = bigrams(b);
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      shared++;
      pool.set(g, n - 1);
    }
  }
  return (2 * shared) / (x.length + y.length) >= 0.7;
}
