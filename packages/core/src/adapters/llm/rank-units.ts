import {
  anchorGroups,
  anchorTerms,
  answerType,
  asksDefinition,
  hasSpan,
  isKindWord,
  type AnswerType,
} from '../../domain/answering';

import type { Language, LlmSource } from '../../ports/llm';
import { contentTerms, termPairs, tokens } from './text';
import { bridge, matcher, pairsIn, proximity } from './term-match';
import { candidates, vocabularyOf, type Candidate } from './unit-candidates';
import { namedField } from './unit-shape';

export type { Candidate } from './unit-candidates';

/** Terms a follow-up carried over from the history count less than the question's own. */
const CARRIED_WEIGHT = 0.35;
/**
 * …except the names it carried: "and what is his email address?" after "… Michael Mitchell?" is
 * about Michael Mitchell, and every other row holds an e-mail address too.
 */
const CARRIED_ANCHOR_WEIGHT = 1;
/** Names, numbers and identifiers count more: they say what the question is about. */
const ANCHOR_WEIGHT = 1.5;
const K1 = 1.2;
const B = 0.5;

/** Letters all capitals (at least two words of them): a PDF's or a form's heading line. */
function isCapitalsTitle(text: string): boolean {
  if (/\p{Ll}/u.test(text)) return false; // most text: no letters counted
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.length >= 6 && /\p{Lu}\S*\s+\S*\p{Lu}/u.test(text);
}

export type Ranking = { ranked: Candidate[]; type: AnswerType; asked: Set<string> };

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
  const match = matcher([...weights.keys()], vocabularyOf(all), anchors, language);
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

    // A title names the topic; the text under it answers. A line in capitals is a title too ("ÁN LỆ
    // SỐ 43/2021/AL1", "VISA APPLICATION FORM"): PDFs and forms set their headings that way.
    if (isHeading || isCapitalsTitle(c.text)) s *= 0.5;
    if (!novel) s *= 0.2;
    if (c.position % 1) s *= 0.9; // a pair of sentences only wins when the pair says more
    c.score = s * (1 - 0.03 * c.sourceRank);
  }
  return { ranked: [...all].sort((a, b) => b.score - a.score), type, asked };
}
