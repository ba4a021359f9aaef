import { findSpan, subQuestions } from '../../domain/answering';
import type { Language, LlmSource } from '../../ports/llm';
import { answerLead, citation, notFoundAnswer } from './citation';
import { rankUnits, type Candidate, type Ranking } from './rank-units';

import { ensureStop } from './units';

const MAX_UNITS = 2;
const MAX_ANSWER_CHARS = 900;
/** A unit must cover at least this share of the question's weighted terms to count as an answer. */
export const MIN_COVERAGE = 0.4;
/** …and its source must name at least this share of the question's anchors. */
const MIN_ANCHOR_SHARE = 0.6;
/** A second unit joins the first only when it scores this close to it. */
const CLOSE = 0.75;

/** The sentences a unit is made of (a pair unit has two), to never say one twice. */
const sentencesOf = (c: Candidate) => c.joins ?? [c.text];
const overlaps = (a: Candidate, b: Candidate) =>
  a.text.includes(b.text) ||
  b.text.includes(a.text) ||
  sentencesOf(a).some((s) => sentencesOf(b).some((t) => s.includes(t) || t.includes(s)));
const answers = (c: Candidate | undefined): c is Candidate =>
  !!c && c.coverage >= MIN_COVERAGE && c.anchorShare >= MIN_ANCHOR_SHARE;

/** The best unit, then one more that scores close to it and says something else. */
function choose(r: Ranking): Candidate[] {
  const best = r.ranked.find(answers);
  if (!best) return [];
  const chosen = [best];
  let length = best.text.length;
  for (const c of r.ranked) {
    if (chosen.length >= MAX_UNITS || c.score < best.score * CLOSE) break;
    if (!answers(c) || length + c.text.length > MAX_ANSWER_CHARS) continue;
    if (chosen.some((k) => overlaps(k, c))) continue;
    chosen.push(c);
    length += c.text.length;
  }
  return chosen;
}

/** The chosen units in document order, one group per citation, each citation once. */
function cited(chosen: Candidate[], language: Language): string {
  const ordered = [...chosen].sort(
    (a, b) => a.sourceRank - b.sourceRank || a.position - b.position,
  );
  const groups = new Map<string, string[]>();
  for (const c of ordered) {
    const key = citation(c.source, language);
    groups.set(key, [...(groups.get(key) ?? []), ensureStop(c.text)]);
  }
  return [...groups].map(([cite, texts]) => `${texts.join(' ')} ${cite}`).join(' ');
}

/** "1911 — <sentence> (file x)": the span of the asked type first, when the best unit holds one. */
function spanFirst(r: Ranking, chosen: Candidate[], language: Language): string {
  const best = chosen[0] as Candidate;
  const span = findSpan(r.type, best.text, r.asked);
  const body = cited(chosen, language);
  return span && span.length < 80 && span !== best.text ? `${span} — ${body}` : body;
}

/**
 * Builds an answer from the units of the top sources that best match the question: the span that
 * answers (when the question asks for a date, a number, a name…), then the unit holding it and at
 * most one more close one, each citation once. A question asking two things ("… and …?") is
 * answered part by part. When nothing answers, says so in the question's language and names the
 * closest sources.
 */
export function composeExtractiveAnswer(input: {
  question?: string;
  query: string;
  sources: LlmSource[];
  language: Language;
}): string {
  const { sources, language, query } = input;
  const question = input.question ?? query;
  const parts = subQuestions(question, language);
  const found: string[] = [];
  const used = new Set<string>();
  for (const part of parts) {
    const r = rankUnits(sources, {
      question: part,
      query: parts.length > 1 ? part : query,
      language,
    });
    const chosen = choose(r).filter((c) => !used.has(c.text));
    if (!chosen.length) continue;
    for (const c of chosen) used.add(c.text);
    found.push(spanFirst(r, chosen, language));
  }
  if (!found.length)
    return notFoundAnswer(
      language,
      sources.slice(0, 3).map((s) => citation(s, language)),
    );
  return `${answerLead(language)} ${found.join(' ')}`;
}
