import { answerType, hasSpan, type AnswerType } from '../../domain/answering';
import type { Language, LlmSource } from '../../ports/llm';
import { answerLead, citation, notFoundAnswer } from './citation';
import { ensureStop, unitsOf } from './units';
import { contentTerms, termPairs, terms, tokens } from './text';

/** How many of the top sources units are drawn from. */
const SOURCE_WINDOW = 5;
const MAX_UNITS = 3;
const MAX_ANSWER_CHARS = 900;
const MAX_UNIT_CHARS = 700;
/** A unit must cover at least this share of the question's weighted terms to count as an answer. */
const MIN_COVERAGE = 0.34;
/** Terms a follow-up carried over from the history count less than the question's own. */
const CARRIED_WEIGHT = 0.35;
const K1 = 1.2;
const B = 0.5;

type Candidate = {
  text: string;
  sourceRank: number;
  position: number;
  words: string[];
  tf: Map<string, number>;
  pairs: Set<string>;
  section: Set<string>;
  score: number;
  coverage: number;
};

function candidates(sources: LlmSource[]): Candidate[] {
  const out: Candidate[] = [];
  sources.slice(0, SOURCE_WINDOW).forEach((source, sourceRank) => {
    const section = new Set(terms(source.section ?? ''));
    for (const unit of unitsOf(source)) {
      const words = terms(unit.text);
      if (unit.text.length < 3 || unit.text.length > MAX_UNIT_CHARS || words.length < 2) continue;
      const tf = new Map<string, number>();
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      out.push({
        text: unit.text,
        sourceRank,
        position: unit.position,
        words,
        tf,
        pairs: new Set(termPairs(unit.text)),
        section,
        score: 0,
        coverage: 0,
      });
    }
  });
  return out;
}

/** Smallest span of word positions holding every matched query term, relative to their count. */
function proximity(c: Candidate, matched: string[]): number {
  if (matched.length < 2) return 0;
  const want = new Set(matched);
  let best = Infinity;
  const last = new Map<string, number>();
  c.words.forEach((w, i) => {
    if (!want.has(w)) return;
    last.set(w, i);
    if (last.size === want.size) best = Math.min(best, i - Math.min(...last.values()) + 1);
  });
  return Number.isFinite(best) ? matched.length / best : 0;
}

/**
 * BM25 weights over the candidate units (each unit a document), the question's own terms weighing
 * more than terms carried from the history, plus term proximity, word pairs and the section heading;
 * units holding a span of the asked type (a date for "when", a name for "who") are preferred, units
 * that only repeat the question (a title, a heading) are not answers.
 */
function score(all: Candidate[], question: string, query: string, language: Language): AnswerType {
  const own = contentTerms(question, language);
  const carried = contentTerms(query, language).filter((t) => !own.includes(t));
  const weights = new Map<string, number>([
    ...carried.map((t) => [t, CARRIED_WEIGHT] as const),
    ...own.map((t) => [t, 1] as const),
  ]);
  const type = answerType(question);
  const asked = new Set(tokens(question).map((t) => t.surface.toLowerCase()));
  const qPairs = termPairs(question, language);
  const n = all.length;
  const avgLen = all.reduce((a, c) => a + c.words.length, 0) / (n || 1);
  const idf = new Map<string, number>();
  for (const t of weights.keys()) {
    const df = all.filter((c) => c.tf.has(t)).length;
    idf.set(t, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  let total = 0;
  for (const [t, w] of weights) total += w * (idf.get(t) ?? 0);
  total ||= 1;
  for (const c of all) {
    let bm25 = 0;
    let covered = 0;
    const matched: string[] = [];
    for (const [t, w] of weights) {
      const f = c.tf.get(t) ?? 0;
      const i = idf.get(t) ?? 0;
      if (f) {
        matched.push(t);
        covered += w * i;
        bm25 += (w * i * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * c.words.length) / avgLen));
      } else if (c.section.has(t)) covered += 0.5 * w * i; // the unit's section names it
    }
    c.coverage = covered / total;
    const novel = c.words.some((w) => !weights.has(w) && w.length > 1);
    const pairHits = qPairs.filter((p) => c.pairs.has(p)).length;
    let s = (bm25 / total) * (1 + 0.3 * proximity(c, matched)) + 0.15 * pairHits + c.coverage;
    if (type !== 'other') s *= hasSpan(type, c.text, asked) ? 1.35 : 0.75;
    if (!novel) s *= 0.2;
    if (c.position % 1) s *= 0.9; // a pair of sentences only wins when the pair says more
    c.score = s * (1 - 0.04 * c.sourceRank);
  }
  return type;
}

const overlaps = (a: string, b: string) => a.includes(b) || b.includes(a);

/**
 * Builds an answer from the units of the top sources that best match the question: the best unit,
 * then up to two more that score close to it, in rank and document order, each citation once. When
 * nothing covers enough of the question, says so in the question's language and names the closest
 * sources.
 */
export function composeExtractiveAnswer(input: {
  question?: string;
  query: string;
  sources: LlmSource[];
  language: Language;
}): string {
  const { sources, language, query } = input;
  const question = input.question ?? query;
  const all = candidates(sources);
  score(all, question, query, language);
  const ranked = [...all].sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (!best || best.coverage < MIN_COVERAGE)
    return notFoundAnswer(
      language,
      sources.slice(0, 3).map((s) => citation(s, language)),
    );

  const chosen: Candidate[] = [best];
  let length = best.text.length;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= MAX_UNITS) break;
    if (c.score < best.score * 0.6 || c.coverage < MIN_COVERAGE) break;
    if (length + c.text.length > MAX_ANSWER_CHARS) continue;
    if (chosen.some((k) => overlaps(k.text, c.text))) continue;
    chosen.push(c);
    length += c.text.length;
  }
  chosen.sort((a, b) => a.sourceRank - b.sourceRank || a.position - b.position);

  // One group per citation, so a file or page is cited once however many units came from it.
  const groups = new Map<string, string[]>();
  for (const c of chosen) {
    const key = citation(sources[c.sourceRank] as LlmSource, language);
    groups.set(key, [...(groups.get(key) ?? []), ensureStop(c.text)]);
  }
  const parts = [...groups].map(([cite, texts]) => `${texts.join(' ')} ${cite}`);
  return `${answerLead(language)} ${parts.join(' ')}`;
}
