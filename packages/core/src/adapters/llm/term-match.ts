import {
  bridgeCount,
  bridgeTarget,
  bridgeTerms,
  isCognate,
  namesAnchor,
  sameStem,
  sameVerb,
} from '../../domain/answering';

import type { Language } from '../../ports/llm';
import type { Token } from './text';
import { LATIN, type Candidate } from './unit-candidates';

/** A shared stem (plural, inflection, cognate) counts less than the same word. */
export const STEM_MATCH = 0.8;
/** A spelling cognate of a French/German/Spanish/Portuguese word ("projet" ↔ "project") counts less. */
export const COGNATE_MATCH = 0.6;

/**
 * Folded source words matching each question term, exactly (1) or by stem or as a form of the same
 * irregular English verb (STEM_MATCH: "sold" for "sell"); an anchor also with a footnote mark glued
 * on ("43/2021/AL1" for "43/2021/AL").
 */
export function matcher(
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
      if (sameStem(q, w) || sameVerb(q, w) || (anchor && namesAnchor(q, w))) m.set(w, STEM_MATCH);
      else if (cognates && isCognate(q, w)) m.set(w, COGNATE_MATCH);
    }
    out.set(q, m);
  }
  return out;
}

/** How many of the question's word pairs the unit holds, each once. */
export function pairsIn(toks: Token[], qPairs: Set<string>): number {
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
export function proximity(c: Candidate, matchWords: Set<string>, matched: number): number {
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
export function bridge(
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
