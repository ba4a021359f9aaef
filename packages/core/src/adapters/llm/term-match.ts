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
      // A stem, an anchor's prefix and a cognate share the first letter: most words of the passages
      // are skipped without building the forms they are compared in. Irregular verbs need not
      // ("went" for "go") and are two map lookups.
      if (w[0] !== q[0] && q && w) {
        if (sameVerb(q, w)) m.set(w, STEM_MATCH);
        continue;
      }
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
  const next = secondsOf(qPairs);
  let hit: Set<string> | undefined;
  let prev: Token | undefined;
  for (const t of toks) {
    if (t.part) continue;
    // Only a pair starting with a question pair's first term is spelled out and counted.
    if (prev && next.get(prev.term)?.has(t.term)) (hit ??= new Set()).add(`${prev.term} ${t.term}`);
    prev = t;
  }
  return hit?.size ?? 0;
}

/** A question's pairs ("a b", terms hold no space) as first term → second terms, once per question. */
const seconds = new WeakMap<Set<string>, Map<string, Set<string>>>();
function secondsOf(qPairs: Set<string>): Map<string, Set<string>> {
  let out = seconds.get(qPairs);
  if (!out) {
    out = new Map();
    for (const p of qPairs) {
      const at = p.indexOf(' ');
      const first = p.slice(0, at);
      let set = out.get(first);
      if (!set) out.set(first, (set = new Set()));
      set.add(p.slice(at + 1));
    }
    seconds.set(qPairs, out);
  }
  return out;
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
  const known = new Set<string>();
  for (const c of passages) for (const w of c.words) known.add(w);
  const vocabulary = [...known];
  const held = (p: string[]) => {
    const [first] = p;
    if (first === undefined) return false;
    return (
      known.has(first) ||
      (p.length === 1 &&
        vocabulary.some((w) => (w[0] === first[0] || !w || !first) && sameStem(first, w)))
    );
  };
  const live = new Map<string, string[][]>();
  for (const [t, phrases] of renderings) {
    const kept = weights.has(t) ? phrases.filter(held) : [];
    if (kept.length) live.set(t, kept);
  }
  // The words a rendering of each term can start with (itself, or a stem of a one-word rendering): a
  // unit holding none of them holds no rendering, and is not counted word by word.
  const starts = new Map<string, Set<string>>();
  for (const [t, phrases] of live) {
    const s = new Set<string>();
    for (const [first, ...rest] of phrases) {
      if (first === undefined) continue;
      if (known.has(first)) s.add(first);
      if (!rest.length)
        for (const w of vocabulary)
          if ((w[0] === first[0] || !w || !first) && sameStem(first, w)) s.add(w);
    }
    starts.set(t, s);
  }
  for (const c of passages)
    for (const [t, phrases] of live) {
      if (c.tf.has(t)) continue;
      const s = starts.get(t) as Set<string>;
      if (!c.words.some((w) => s.has(w))) continue;
      const f = bridgeCount(c.words, phrases);
      if (!f) continue;
      c.tf.set(t, f * STEM_MATCH);
      for (const p of phrases)
        if (p.length === 1 && c.words.includes(p[0] as string)) matchWords.add(p[0] as string);
    }
}
