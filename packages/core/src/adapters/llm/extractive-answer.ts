import type { Language, LlmSource } from '../../ports/llm';
import { answerLead, citation, notFoundSentence } from './citation';
import { cleanSentence, contentTerms, splitSentences, termPairs, tokens } from './text';

/** How many of the top sources sentences are drawn from. */
const SOURCE_WINDOW = 5;
const MAX_SENTENCES = 3;
const MAX_ANSWER_CHARS = 900;
/** A sentence must cover at least this share of the query's weighted terms to count as an answer. */
const MIN_COVERAGE = 0.34;

type Candidate = {
  text: string;
  sourceRank: number;
  position: number;
  terms: Set<string>;
  pairs: Set<string>;
  score: number;
  coverage: number;
};

function candidates(sources: LlmSource[]): Candidate[] {
  const out: Candidate[] = [];
  sources.slice(0, SOURCE_WINDOW).forEach((source, sourceRank) => {
    splitSentences(source.content).forEach((raw, position) => {
      const text = cleanSentence(raw);
      // Fragments and giant blobs (tables flattened by a PDF) read badly as answers.
      if (text.length < 12 || text.length > 600 || tokens(text).length < 3) return;
      out.push({
        text,
        sourceRank,
        position,
        terms: new Set(contentTerms(text)),
        pairs: new Set(termPairs(text)),
        score: 0,
        coverage: 0,
      });
    });
  });
  return out;
}

/**
 * Scores each sentence by the query terms it contains, weighted by how rare each term is among the
 * candidate sentences (a local idf), plus a bonus for matching word pairs; earlier-ranked sources
 * win ties because retrieval already judged them more relevant.
 */
function score(all: Candidate[], query: string): void {
  const qTerms = contentTerms(query);
  const qPairs = termPairs(query);
  const n = all.length;
  const idf = new Map<string, number>();
  for (const t of qTerms) {
    const df = all.filter((c) => c.terms.has(t)).length;
    idf.set(t, Math.log(1 + (n + 1) / (df + 0.5)));
  }
  const total = [...idf.values()].reduce((a, b) => a + b, 0) || 1;
  for (const c of all) {
    let matched = 0;
    for (const t of qTerms) if (c.terms.has(t)) matched += idf.get(t) ?? 0;
    const pairHits = qPairs.filter((p) => c.pairs.has(p)).length;
    c.coverage = matched / total;
    const lengthPenalty = 1 / (1 + Math.max(0, c.terms.size - 25) / 25);
    c.score = (c.coverage + 0.15 * pairHits) * lengthPenalty * (1 - 0.04 * c.sourceRank);
  }
}

function ensureFullStop(text: string): string {
  return /[.!?…:;)"”]$/.test(text) ? text : `${text}.`;
}

/**
 * Builds an answer from the sentences of the top sources that best match the query, in document
 * order, each group followed by its citation. Returns the "not in the documents" sentence when
 * nothing covers enough of the question.
 */
export function composeExtractiveAnswer(input: {
  query: string;
  sources: LlmSource[];
  language: Language;
}): string {
  const { sources, language } = input;
  const all = candidates(sources);
  score(all, input.query);
  const ranked = [...all].sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (!best || best.coverage < MIN_COVERAGE) return notFoundSentence(language);

  const chosen: Candidate[] = [best];
  let length = best.text.length;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= MAX_SENTENCES) break;
    if (c.score < best.score * 0.6 || c.coverage < MIN_COVERAGE) break;
    if (length + c.text.length > MAX_ANSWER_CHARS) continue;
    if (chosen.some((k) => k.text === c.text)) continue;
    chosen.push(c);
    length += c.text.length;
  }
  chosen.sort((a, b) => a.sourceRank - b.sourceRank || a.position - b.position);

  const parts: string[] = [];
  let group: Candidate[] = [];
  const flush = () => {
    const first = group[0];
    if (!first) return;
    const source = sources[first.sourceRank] as LlmSource;
    const text = group.map((c) => ensureFullStop(c.text)).join(' ');
    parts.push(`${text} ${citation(source)}`);
    group = [];
  };
  for (const c of chosen) {
    if (group[0] && group[0].sourceRank !== c.sourceRank) flush();
    group.push(c);
  }
  flush();
  return `${answerLead(language)} ${parts.join(' ')}`;
}
