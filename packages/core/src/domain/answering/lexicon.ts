import { anchorTerms, sameStem } from './anchors';
import { EN_EU } from './lexicon-en-eu';
import { EN_VI } from './lexicon-en-vi';
import type { Language } from './languages';
import { foldTerm, tokens } from './segment';
import { isStopWord } from './stop-words';

/** A question term's renderings in the other language, each a run of folded words. */
export type Bridge = Map<string, string[][]>;
/** The same renderings as written (with tones), for a search query. */
type Written = Map<string, string[]>;

type Phrase = { text: string; terms: string[] };
type Entry = { en: string[]; vi: Phrase[] };

const phrase = (text: string): Phrase => ({ text, terms: tokens(text).map((t) => t.term) });
const lower = (w: string) => w.normalize('NFC').toLowerCase();

const ENTRIES: Entry[] = EN_VI.split('\n')
  .map((line) => line.split('|'))
  .filter((parts): parts is [string, string] => parts.length === 2)
  .map(([en, vi]) => ({
    en: en.split(',').map((w) => w.trim().toLowerCase()),
    vi: vi.split(',').map((p) => phrase(lower(p.trim()))),
  }));

/** The European languages of `EN_EU`, in its column order. */
const EUROPEAN = ['fr', 'de', 'es', 'pt'] as const;
type European = (typeof EUROPEAN)[number];
const isEuropean = (l: Language): l is European => (EUROPEAN as readonly string[]).includes(l);
/** A folded word form; `stem` when it matches every word starting with it ("aceler*"). */
type Form = { text: string; stem: boolean };
type EuEntry = { en: Phrase[]; forms: Record<European, Form[]> };

const form = (w: string): Form =>
  w.endsWith('*')
    ? { text: foldTerm(w.slice(0, -1)), stem: true }
    : { text: foldTerm(w), stem: false };
const EU_ENTRIES: EuEntry[] = EN_EU.split('\n')
  .map((line) => line.split('|'))
  .filter((parts) => parts.length === 1 + EUROPEAN.length)
  .map(([en, ...columns]) => ({
    en: (en as string).split(',').map((w) => phrase(w.trim().toLowerCase())),
    forms: Object.fromEntries(
      EUROPEAN.map((l, i) => [
        l,
        (columns[i] as string)
          .split(',')
          .map((w) => w.trim())
          .filter(Boolean)
          .map(form),
      ]),
    ) as Record<European, Form[]>,
  }));
const formMatches = (f: Form, term: string) =>
  f.stem
    ? term.startsWith(f.text)
    : term === f.text || (f.text.length > 2 && sameStem(f.text, term));

// Vietnamese phrases by their syllables, to find the longest one at each question position: with
// their tones when the question has them ("năm" is a year, "nam" a man), folded when typed without.
const VI_PHRASES = new Map<string, string[]>();
for (const e of ENTRIES)
  for (const p of e.vi)
    for (const key of [p.text, p.terms.join(' ')])
      VI_PHRASES.set(key, [...new Set([...(VI_PHRASES.get(key) ?? []), ...e.en])]);
const LONGEST_VI = Math.max(...[...VI_PHRASES.keys()].map((k) => k.split(' ').length));
const TONED = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/u;

/**
 * How the question's words are said in the other language of the English/Vietnamese pair: for an
 * English question each word's Vietnamese phrases ("houses" → "căn nhà", "nhà"), for a Vietnamese
 * one each syllable of the longest phrase it belongs to ("trạng thái" → "status"), for a French,
 * German, Spanish or Portuguese one each word's English words ("sieste" → "nap"). Empty for other
 * languages, whose passages match by anchors and cognates only.
 */
export function bridgeTerms(question: string, language: Language): Bridge {
  return render(question, language).terms;
}

function render(question: string, language: Language): { terms: Bridge; written: Written } {
  const terms: Bridge = new Map();
  const written: Written = new Map();
  const add = (term: string, phrases: Phrase[]) => {
    const known = terms.get(term) ?? [];
    const texts = written.get(term) ?? [];
    for (const p of phrases)
      if (!texts.includes(p.text)) {
        known.push(p.terms);
        texts.push(p.text);
      }
    if (known.length) {
      terms.set(term, known);
      written.set(term, texts);
    }
  };
  const toks = tokens(question).filter((t) => !t.part);
  if (language === 'en') {
    for (const t of toks)
      for (const e of ENTRIES)
        if (e.en.some((w) => w === t.term || (w.length > 2 && sameStem(w, t.term))))
          add(t.term, e.vi);
  } else if (isEuropean(language)) {
    for (const t of toks) {
      if (isStopWord(t.surface, language)) continue;
      for (const e of EU_ENTRIES)
        if (e.forms[language].some((f) => formMatches(f, t.term))) add(t.term, e.en);
    }
  } else if (language === 'vi') {
    const toned = TONED.test(lower(question));
    const keys = toks.map((t) => (toned ? lower(t.surface) : t.term));
    for (let i = 0; i < toks.length;) {
      let step = 1;
      for (let n = Math.min(LONGEST_VI, toks.length - i); n >= 1; n--) {
        const en = VI_PHRASES.get(keys.slice(i, i + n).join(' '));
        if (!en) continue;
        for (const t of toks.slice(i, i + n)) add(t.term, en.map(phrase));
        step = n;
        break;
      }
      i += step;
    }
  }
  return { terms, written };
}

/** The language `bridgeTerms` renders a question of `language` into, if any. */
export function bridgeTarget(language: Language): Language | null {
  if (language === 'en') return 'vi';
  return language === 'vi' || isEuropean(language) ? 'en' : null;
}

/**
 * How often a passage's words say one of the phrases: a Vietnamese phrase as its run of syllables,
 * an English word also by its stem ("founded" for "found").
 */
export function bridgeCount(words: string[], phrases: string[][]): number {
  let count = 0;
  for (const p of phrases) {
    const [first] = p;
    if (first === undefined) continue;
    if (p.length === 1) {
      for (const w of words) if (w === first || sameStem(first, w)) count++;
      continue;
    }
    for (let i = 0; i + p.length <= words.length; i++)
      if (p.every((s, k) => words[i + k] === s)) count++;
  }
  return count;
}

/**
 * The question said with the lexicon in its bridge language (`bridgeTarget`), for a second search: its
 * names and numbers as they are, each other word it knows by its first two renderings ("Eddie kiếm
 * được bao nhiêu tiền mỗi năm?" → "Eddie income earn money amount year years"). Null when fewer than
 * two of its words are known, or for other languages.
 */
export function bridgedQuery(question: string, language: Language): string | null {
  if (!bridgeTarget(language)) return null;
  const { written } = render(question, language);
  const anchors = new Set(anchorTerms(question, language));
  const out = new Set<string>();
  let known = 0;
  for (const t of tokens(question)) {
    if (t.part || isStopWord(t.surface, language)) continue;
    const r = written.get(t.term);
    if (r && !anchors.has(t.term)) {
      known++;
      for (const p of r.slice(0, 2)) out.add(p);
    } else if (anchors.has(t.term) || /^\p{Lu}/u.test(t.surface)) out.add(t.surface); // names stay
  }
  return known >= 2 ? [...out].join(' ') : null;
}
