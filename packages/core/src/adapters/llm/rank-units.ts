import {
  anchorGroups,
  anchorTerms,
  bridgeCount,
  bridgeTarget,
  bridgeTerms,
  namesAnchor,
  answerType,
  asksDefinition,
  hasSpan,
  isCognate,
  isKindWord,
  sameStem,
  type AnswerType,
} from '../../domain/answering';
import { detect } from '../../lib/language-detector';

import type { Language, LlmSource } from '../../ports/llm';
import { contentTerms, termPairs, terms, tokens, type Token } from './text';
import { namedField, withoutFragments } from './unit-shape';
import { unitsOf } from './units';

/** How many of the top sources units are drawn from. */
export const SOURCE_WINDOW = 10;
const MAX_UNIT_CHARS = 700;
/** Terms a follow-up carried over from the history count less than the question's own. */
const CARRIED_WEIGHT = 0.35;
/**
 * …except the names it carried: "and what is his email address?" after "… Michael Mitchell?" is
 * about Michael Mitchell, and every other row holds an e-mail address too.
 */
const CARRIED_ANCHOR_WEIGHT = 1;
/** Names, numbers and identifiers count more: they say what the question is about. */
const ANCHOR_WEIGHT = 1.5;
/** A shared stem (plural, inflection, cognate) counts less than the same word. */
const STEM_MATCH = 0.8;
/** A spelling cognate of a French/German/Spanish/Portuguese word ("projet" ↔ "project") counts less. */
const COGNATE_MATCH = 0.6;
const K1 = 1.2;
const B = 0.5;

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

export type Ranking = { ranked: Candidate[]; type: AnswerType; asked: Set<string> };

/**
 * Folded source words matching each question term, exactly (1) or by stem (STEM_MATCH); an anchor
 * also with a footnote mark glued on ("43/2021/AL1" for "43/2021/AL").
 */
function matcher(
  qTerms: string[],
  vocabulary: Set<string>,
  anchors: string[],
  language: Language,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const cognates = LATIN.includes(language);
  for (const q of qTerms) {
    const m = new Map<string, number>([[q, 1]]);
    const anchor = anchors.includes(q);
    for (const w of vocabulary) {
      if (w === q) continue;
      if (sameStem(q, w) || (anchor && namesAnchor(q, w))) m.set(w, STEM_MATCH);
      else if (cognates && isCognate(q, w)) m.set(w, COGNATE_MATCH);
    }
    out.set(q, m);
  }
  return out;
}

/**
 * The language a passage is written in, as far as it matters here: scripts and Vietnamese letters
 * decide; a Latin-script passage is English unless the question's own Latin language fits it better
 * (tinyld on SQL or code guesses wildly, so it only arbitrates between the two).
 */
const VIETNAMESE_LETTER = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu;

const LATIN: Language[] = ['fr', 'de', 'es', 'pt'];

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

function candidates(sources: LlmSource[], language: Language, anchors: string[][]): Candidate[] {
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
function tokensOf(text: string): Token[] {
  let ts = segmented.get(text);
  if (!ts) {
    if (segmented.size > 5_000) segmented.clear();
    ts = tokens(text);
    segmented.set(text, ts);
  }
  return ts;
}

/** How many of the question's word pairs the unit holds, each once. */
function pairsIn(toks: Token[], qPairs: Set<string>): number {
  if (!qPairs.size) return 0;
  const hit = new Set<string>();
  let prev: Token | undefined;
  for (const t of toks) {
    if (t.part) continue;
    if (prev) {
      const p = `${prev.term} ${t.term}`;
      if (qPairs.has(p)) hit.add(p);
    }
    prev = t;
  }
  return hit.size;
}

/** Smallest span of word positions holding every matched query term, relative to their count. */
function proximity(c: Candidate, matchWords: Set<string>, matched: number): number {
  if (matched < 2) return 0;
  let best = Infinity;
  const last = new Map<string, number>();
  c.words.forEach((w, i) => {
    if (!matchWords.has(w)) return;
    last.set(w, i);
    if (last.size >= matched) best = Math.min(best, i - Math.min(...last.values()) + 1);
  });
  return Number.isFinite(best) ? Math.min(1, matched / best) : 0;
}

/**
 * A question term said in the other language of the English/Vietnamese pair counts, in a passage of
 * that language, like a shared stem ("headquartered" ↔ "trụ sở"): without it a Vietnamese question
 * about an English page matches only its names.
 */
function bridge(
  all: Candidate[],
  question: string,
  language: Language,
  weights: Map<string, number>,
  matchWords: Set<string>,
): void {
  const target = bridgeTarget(language);
  if (!target) return;
  const renderings = bridgeTerms(question, language);
  if (!renderings.size) return;
  const passages = all.filter((c) => c.language === target);
  // Only the renderings some passage can hold are looked for in each unit (most are in none).
  const vocabulary = [...new Set(passages.flatMap((c) => c.words))];
  const known = new Set(vocabulary);
  const held = (p: string[]) => {
    const [first] = p;
    if (first === undefined) return false;
    return known.has(first) || (p.length === 1 && vocabulary.some((w) => sameStem(first, w)));
  };
  const live = new Map<string, string[][]>();
  for (const [t, phrases] of renderings) {
    const kept = weights.has(t) ? phrases.filter(held) : [];
    if (kept.length) live.set(t, kept);
  }
  for (const c of passages)
    for (const [t, phrases] of live) {
      if (c.tf.has(t)) continue;
      const f = bridgeCount(c.words, phrases);
      if (!f) continue;
      c.tf.set(t, f * STEM_MATCH);
      for (const p of phrases)
        if (p.length === 1 && c.words.includes(p[0] as string)) matchWords.add(p[0] as string);
    }
}

/**
 * Scores the units of the top sources for a question: BM25 weights over the units (each unit a
 * document), the question's own terms weighing more than terms carried from the history and its
 * anchors more than other words, plus term proximity, word pairs and the section heading. Units
 * holding a span of the asked type (a date for "when", a name for "who") are preferred; units that
 * only repeat the question (a title, a heading) are not answers. A unit in another language than
 * the question is judged on what can match across languages: anchors and cognates.
 */
export function rankUnits(
  sources: LlmSource[],
  input: { question: string; query: string; language: Language },
): Ranking {
  const { question, query, language } = input;
  const own = contentTerms(question, language);
  // A follow-up naming nothing ("when was it adopted?") is about the names it carried.
  const ownGroups = anchorGroups(question, language);
  const groups = ownGroups.length || query === question ? ownGroups : anchorGroups(query, language);
  const anchors = ownGroups.flat();
  const carried = contentTerms(query, language).filter((t) => !own.includes(t));
  const carriedAnchors = new Set(query === question ? [] : anchorTerms(query, language));
  const weights = new Map<string, number>([
    ...carried.map(
      (t) => [t, carriedAnchors.has(t) ? CARRIED_ANCHOR_WEIGHT : CARRIED_WEIGHT] as const,
    ),
    ...own.map((t) => [t, anchors.includes(t) ? ANCHOR_WEIGHT : 1] as const),
  ]);
  const all = candidates(sources, language, groups);
  const type = answerType(question);
  const definition = asksDefinition(question);
  const focus = anchors.length ? anchors : own;
  const plainOwn = own.filter((t) => !anchors.includes(t));
  const asked = new Set(tokens(question).map((t) => t.surface.toLowerCase()));
  const qPairs = new Set(termPairs(question, language));
  const match = matcher(
    [...weights.keys()],
    new Set(all.flatMap((c) => c.words)),
    anchors,
    language,
  );
  const matchWords = new Set([...match.values()].flatMap((m) => [...m.keys()]));
  for (const c of all) {
    for (const w of c.words) {
      if (!matchWords.has(w)) continue;
      for (const [t, m] of match) {
        const s = m.get(w);
        if (s) c.tf.set(t, (c.tf.get(t) ?? 0) + s);
      }
    }
  }
  bridge(all, question, language, weights, matchWords);
  const n = all.length;
  const avgLen = all.reduce((a, c) => a + c.words.length, 0) / (n || 1);
  const idf = new Map<string, number>();
  const pooled = new Set<string>();
  for (const t of weights.keys()) {
    const df = all.filter((c) => c.tf.has(t)).length;
    if (df) pooled.add(t);
    idf.set(t, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const totalOf = (keep: (t: string) => boolean) => {
    let total = 0;
    for (const [t, w] of weights) if (keep(t)) total += w * (idf.get(t) ?? 0);
    return total;
  };
  const total = totalOf(() => true) || 1;
  // Across languages only anchors and the words that do occur in some passage can match.
  const crossTotal = totalOf((t) => anchors.includes(t) || pooled.has(t));
  for (const c of all) {
    const denominator = c.cross ? crossTotal : total;
    // "What does 404 mean?": the text under the heading naming it defines it.
    const isHeading = !!c.heading && c.text === c.heading;
    // The text under a heading naming what the question is about ("10.4.9 408 Request Timeout").
    const underFocus =
      !!c.heading && !isHeading && anchors.length > 0 && anchors.every((t) => c.section.has(t));
    const defines =
      (definition || underFocus) &&
      !!c.heading &&
      !isHeading &&
      focus.every((t) => c.section.has(t));
    if (!c.tf.size && ![...weights.keys()].some((t) => c.section.has(t))) continue; // says nothing asked
    let bm25 = 0;
    let covered = 0;
    let matched = 0;
    const spanned = type !== 'other' && hasSpan(type, c.text, asked);
    for (const [t, w] of weights) {
      const f = c.tf.get(t) ?? 0;
      const i = idf.get(t) ?? 0;
      if (!f && spanned && isKindWord(type, t))
        covered += w * i; // "which year" → "1911"
      else if (f) {
        matched++;
        covered += w * i * Math.min(1, f);
        bm25 += (w * i * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * c.words.length) / avgLen));
      } else if (c.section.has(t)) covered += (defines ? 1 : 0.5) * w * i; // its heading names it
    }
    c.coverage = denominator ? covered / denominator : 0;
    // "What does 403 mean?": the first sentence of the section about 403 says it, in whatever words.
    const definesLead = defines && definition && !!c.lead;
    const field = !c.joins && namedField(c.text, c.language, weights, plainOwn);
    if (definesLead || field) c.coverage = Math.max(c.coverage, 1);
    const novel = c.words.some((w) => !matchWords.has(w) && !weights.has(w) && w.length > 1);
    const pairHits = pairsIn(c.toks, qPairs);
    let s =
      (bm25 / (denominator || 1)) * (1 + 0.3 * proximity(c, matchWords, matched)) +
      0.15 * pairHits +
      c.coverage;
    if (type !== 'other') s *= spanned ? 1.35 : 0.75;
    if (defines) s *= definesLead ? 2 : 1.5;
    if (field) s *= 2; // "License: BSD" answers "under which license…?"

    if (isHeading) s *= 0.5; // a title names the topic; the text under it answers
    if (!novel) s *= 0.2;
    if (c.position % 1) s *= 0.9; // a pair of sentences only wins when the pair says more
    c.score = s * (1 - 0.03 * c.sourceRank);
  }
  return { ranked: [...all].sort((a, b) => b.score - a.score), type, asked };
}
