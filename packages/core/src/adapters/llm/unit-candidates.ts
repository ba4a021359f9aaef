import { namesAnchor } from '../../domain/answering';
import { detect } from '../../lib/language-detector';

import type { Language, LlmSource } from '../../ports/llm';
import { terms, tokens, type Token } from './text';
import { withoutFragments } from './unit-shape';
import { unitsOf, type Unit } from './units';

/** How many of the top sources units are drawn from. */
export const SOURCE_WINDOW = 10;
const MAX_UNIT_CHARS = 700;

export type Candidate = {
  text: string;
  source: LlmSource;
  sourceRank: number;
  position: number;
  words: string[];
  /** The question's terms found in the unit, with their (stem-weighted) frequency. */
  tf: Map<string, number>;
  toks: Token[];
  /** Terms of the source's section and of the heading the unit sits under. */
  section: Set<string>;
  heading: string | null;
  joins?: [string, string];
  lead?: true;
  /** Written in another language than the question: only anchors, cognates and the lexicon match. */
  cross: boolean;
  language: Language;
  /** Share of the question's anchors named by the unit's source (its text, section, filename). */
  anchorShare: number;
  score: number;
  coverage: number;
};

/**
 * The language a passage is written in, as far as it matters here: scripts and Vietnamese letters
 * decide; a Latin-script passage is English unless the question's own Latin language fits it better
 * (tinyld on SQL or code guesses wildly, so it only arbitrates between the two).
 */
const VIETNAMESE_LETTER = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu;

export const LATIN: Language[] = ['fr', 'de', 'es', 'pt'];

function sourceLanguage(content: string, question: Language): Language {
  const script = scriptLanguage(content);
  if (script) return script;
  if (question === 'en' || question === 'vi' || !LATIN.includes(question)) return 'en';
  const sample = content.slice(0, 400).normalize('NFC');
  return detect(sample, { only: ['en', question] }) === question ? question : 'en';
}

/** The language a passage's script or Vietnamese letters decide, else null (Latin script). */
function scriptLanguage(content: string): Language | null {
  const sample = content.slice(0, 400).normalize('NFC');
  if ((sample.match(VIETNAMESE_LETTER) ?? []).length >= 3) return 'vi';
  if (/\p{Script=Hangul}/u.test(sample)) return 'ko';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sample)) return 'ja';
  if (/\p{Script=Han}/u.test(sample)) return 'zh';
  if (/\p{Script=Cyrillic}/u.test(sample)) return 'ru';
  return null;
}

/** A source's units with their words and section terms: what does not depend on the question. */
type PreparedUnit = { unit: Unit; toks: Token[]; words: string[]; section: Set<string> };
type Prepared = {
  units: PreparedUnit[];
  /** The distinct words of its units. */
  words: string[];
  /** Every word the source holds (its units', its section's, its filename's), for anchorShare. */
  whole: Set<string>;
  wholeList: string[];
  /** The passage's language by script (null: Latin script, decided with the question's language). */
  script: Language | null;
  latin: Map<Language, Language>;
};

/**
 * Sources prepared by earlier asks, by their text (a library's popular chunks come back ask after ask;
 * each request brings them as new objects): splitting and segmenting a source's units was most of an
 * answer's CPU. Bounded in sources and characters (≈ 40 heap bytes per character held: ≤ ~60 MB);
 * the least recently used leave first. The entries' arrays and sets are shared between requests and
 * never modified.
 */
const prepared = new Map<string, Prepared>();
export const MAX_PREPARED_SOURCES = 1_000;
const MAX_PREPARED_CHARS = 1_500_000;
let preparedChars = 0;

const keyOf = (s: LlmSource) =>
  `${s.filename}\u0000${s.section === null ? '\u0001' : s.section}\u0000${s.content}`;

function prepare(source: LlmSource): Prepared {
  const key = keyOf(source);
  const held = prepared.get(key);
  if (held) {
    prepared.delete(key);
    prepared.set(key, held);
    return held;
  }
  const sourceSection = terms(source.section ?? '');
  const units: PreparedUnit[] = [];
  for (const unit of unitsOf(source)) {
    const toks = unit.joins ? unit.joins.flatMap(tokensOf) : tokensOf(unit.text);
    const words = toks.map((t) => t.term);
    if (unit.text.length < 3 || unit.text.length > MAX_UNIT_CHARS || words.length < 2) continue;
    const section = new Set([...sourceSection, ...tokensOf(unit.heading ?? '').map((t) => t.term)]);
    units.push({ unit, toks, words, section });
  }
  const whole = new Set<string>();
  for (const u of units) for (const w of u.words) whole.add(w);
  const words = [...whole];
  for (const t of sourceSection) whole.add(t);
  for (const t of terms(source.filename)) whole.add(t);
  const entry = {
    units,
    words,
    whole,
    wholeList: [...whole],
    script: scriptLanguage(source.content),
    latin: new Map(),
  };
  prepared.set(key, entry);
  preparedChars += key.length;
  for (const [k] of prepared) {
    if (preparedChars <= MAX_PREPARED_CHARS && prepared.size <= MAX_PREPARED_SOURCES) break;
    prepared.delete(k);
    preparedChars -= k.length;
  }
  return entry;
}

/** {@link sourceLanguage} of a prepared source (tinyld asked once per question language). */
function languageOf(p: Prepared, content: string, question: Language): Language {
  if (p.script) return p.script;
  if (question === 'en' || question === 'vi' || !LATIN.includes(question)) return 'en';
  let l = p.latin.get(question);
  if (!l) p.latin.set(question, (l = sourceLanguage(content, question)));
  return l;
}

/**
 * The answer units of the top sources, each with its words, section terms and language, and the
 * share of the question's anchors its source names.
 */
export function candidates(
  sources: LlmSource[],
  language: Language,
  anchors: string[][],
): Candidate[] {
  const out: Candidate[] = [];
  sources.slice(0, SOURCE_WINDOW).forEach((source, sourceRank) => {
    const p = prepare(source);
    unitWords.set(source, p.words);
    const passage = languageOf(p, source.content, language);
    const cross = passage !== language;
    // The source names an anchor anywhere: in a unit, its section or its filename.
    let anchorShare = 1;
    if (anchors.length) {
      const { whole, wholeList } = p;
      const named = (a: string) => whole.has(a) || wholeList.some((w) => namesAnchor(a, w));
      anchorShare = anchors.filter((g) => g.every(named)).length / anchors.length;
    }
    for (const { unit, toks, words, section } of p.units)
      out.push({
        text: unit.text,
        source,
        sourceRank,
        position: unit.position,
        words,
        tf: new Map(),
        toks,
        section,
        heading: unit.heading,
        joins: unit.joins,
        ...(unit.lead ? { lead: unit.lead } : {}),
        cross,
        language: passage,
        anchorShare,
        score: 0,
        coverage: 0,
      });
  });
  return withoutFragments(out);
}

/**
 * The distinct words of the candidates' sources (their units' words, held once per source): every
 * candidate's words and perhaps a dropped fragment's, which no candidate then matches.
 */
export function vocabularyOf(all: Candidate[]): Set<string> {
  const out = new Set<string>();
  let last: LlmSource | undefined;
  for (const c of all) {
    if (c.source === last) continue;
    last = c.source;
    const words = unitWords.get(c.source);
    if (words) for (const w of words) out.add(w);
    else for (const w of c.words) out.add(w);
  }
  return out;
}

/** The words of the units of the sources candidates() was last given (by source object). */
const unitWords = new WeakMap<LlmSource, string[]>();

// A sentence is segmented once per request although it also appears in a pair unit.
const segmented = new Map<string, Token[]>();
export function tokensOf(text: string): Token[] {
  let ts = segmented.get(text);
  if (!ts) {
    if (segmented.size > 5_000) segmented.clear();
    ts = tokens(text);
    segmented.set(text, ts);
  }
  return ts;
}
