import { namesAnchor } from '../../domain/answering';
import { detect } from '../../lib/language-detector';

import type { Language, LlmSource } from '../../ports/llm';
import { terms, tokens, type Token } from './text';
import { withoutFragments } from './unit-shape';
import { unitsOf } from './units';

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
  const sample = content.slice(0, 400).normalize('NFC');
  if ((sample.match(VIETNAMESE_LETTER) ?? []).length >= 3) return 'vi';
  if (/\p{Script=Hangul}/u.test(sample)) return 'ko';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sample)) return 'ja';
  if (/\p{Script=Han}/u.test(sample)) return 'zh';
  if (/\p{Script=Cyrillic}/u.test(sample)) return 'ru';
  if (question === 'en' || question === 'vi' || !LATIN.includes(question)) return 'en';
  return detect(sample, { only: ['en', question] }) === question ? question : 'en';
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
    const sourceSection = terms(source.section ?? '');
    const passage = sourceLanguage(source.content, language);
    const cross = passage !== language;
    for (const unit of unitsOf(source)) {
      const toks = unit.joins ? unit.joins.flatMap(tokensOf) : tokensOf(unit.text);
      const words = toks.map((t) => t.term);
      if (unit.text.length < 3 || unit.text.length > MAX_UNIT_CHARS || words.length < 2) continue;
      out.push({
        text: unit.text,
        source,
        sourceRank,
        position: unit.position,
        words,
        tf: new Map(),
        toks,
        section: new Set([...sourceSection, ...tokensOf(unit.heading ?? '').map((t) => t.term)]),
        heading: unit.heading,
        joins: unit.joins,
        ...(unit.lead ? { lead: unit.lead } : {}),
        cross,
        language: passage,
        anchorShare: 1,
        score: 0,
        coverage: 0,
      });
    }
    if (!anchors.length) return;
    // The source names an anchor anywhere: in a unit, its section or its filename.
    const mine = out.filter((c) => c.source === source);
    const whole = new Set([
      ...mine.flatMap((c) => c.words),
      ...sourceSection,
      ...terms(source.filename),
    ]);
    const named = (a: string) => whole.has(a) || [...whole].some((w) => namesAnchor(a, w));
    const anchorShare = anchors.filter((g) => g.every(named)).length / anchors.length;
    for (const c of mine) c.anchorShare = anchorShare;
  });
  return withoutFragments(out);
}

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
