import {
  PROXIMITY_WINDOW,
  type KeywordOptions,
  type LanguageKeywordOptions,
} from './keyword-options';
import { passageTerms, STEM_PREFIX, type PassageTerms } from './tokenizer';

/** A chunk as the keyword options read it: its words in order and its heading's term frequencies. */
export type ChunkTerms = PassageTerms & { title: Map<string, number> };

/**
 * Tokenizes a chunk's text and heading (the heading in the language of the text). `body`: the text's
 * {@link passageTerms}, when the caller has them already (the index writes tokenize each chunk once).
 */
export function chunkTerms(
  content: string,
  section: string | null,
  body: PassageTerms = passageTerms(content),
): ChunkTerms {
  const title = new Map<string, number>();
  if (section) {
    const heading = passageTerms(section, body.english);
    heading.terms.forEach((term, i) => {
      title.set(term, (title.get(term) ?? 0) + 1);
      const exact = heading.accented[i];
      if (exact) title.set(exact, (title.get(exact) ?? 0) + 1);
    });
  }
  return { ...body, title };
}

/**
 * The query frequencies BM25 weighs: with a language's `termsOnce`, each of that language's query terms
 * counts once (English: the namespaced stems; Vietnamese: every other term).
 */
export function queryFrequencies(
  qtf: ReadonlyMap<string, number>,
  opts: Pick<KeywordOptions, 'english' | 'vietnamese'>,
): ReadonlyMap<string, number> {
  if (!opts.english.termsOnce && !opts.vietnamese.termsOnce) return qtf;
  const out = new Map<string, number>();
  for (const [term, n] of qtf) {
    const language = term.startsWith(STEM_PREFIX) ? opts.english : opts.vietnamese;
    out.set(term, language.termsOnce ? Math.min(n, 1) : n);
  }
  return out;
}

/** A query term with its BM25 weight (idf × query frequency). */
export type WeightedQueryTerm = { term: string; weight: number };

/** BM25's length normalisation of one chunk: k1·(1 − b + b·len/avg). */
export type LengthNorm = { k1: number; norm: number };

const saturate = (weight: number, tf: number, { k1, norm }: LengthNorm) =>
  tf > 0 ? (weight * tf * (k1 + 1)) / (tf + norm) : 0;

/**
 * A chunk's words as the re-rank reads them, for one query: by the index of a query term, its positions
 * in the text and its count in the heading. The in-memory postings build a compact copy of every chunk
 * once, so a query looks only at the positions of its own terms, not at every word of every candidate.
 */
export type TermPositions = {
  english: boolean;
  /** Occurrences of query term `i` in the text (the length of its positions). */
  count(i: number): number;
  /** Word indexes of query term `i` in the text, ascending (an accented form sits at its word's). */
  positions(i: number): ArrayLike<number>;
  titleCount(i: number): number;
};

/** The positions of a tokenized chunk for the given query terms (strings, word by word). */
export function termPositions(
  chunk: ChunkTerms,
  terms: readonly { term: string }[],
): TermPositions {
  const index = new Map(terms.map((t, i) => [t.term, i]));
  const lists: number[][] = terms.map(() => []);
  chunk.terms.forEach((term, pos) => {
    const a = index.get(term);
    if (a !== undefined) lists[a]?.push(pos);
    const exact = chunk.accented[pos];
    const b = exact ? index.get(exact) : undefined;
    if (b !== undefined) lists[b]?.push(pos);
  });
  return {
    english: chunk.english,
    count: (i) => lists[i]?.length ?? 0,
    positions: (i) => lists[i] ?? [],
    titleCount: (i) => chunk.title.get(terms[i]?.term ?? '') ?? 0,
  };
}

/** Query terms per proximity event: a position and a term index packed in one number. */
const TERM_SLOTS = 64;

/**
 * Proximity frequency of each query term (BM25TP): every pair of distinct query terms at most
 * {@link PROXIMITY_WINDOW} words apart adds 1/distance² to both. A word may match two query terms
 * (its folded and its accented form); the pair of those two is not counted. Reads only the query
 * terms' positions, merged in text order.
 */
function proximityFrequencies(lists: readonly ArrayLike<number>[]): Float64Array {
  const acc = new Float64Array(lists.length);
  let n = 0;
  lists.forEach((list, t) => {
    if (t < TERM_SLOTS) n += list.length;
  });
  const events = new Float64Array(n);
  n = 0;
  lists.forEach((list, t) => {
    if (t >= TERM_SLOTS) return;
    for (let k = 0; k < list.length; k++) events[n++] = (list[k] ?? 0) * TERM_SLOTS + t;
  });
  // A typed array sorts numerically without a comparator.
  events.sort();
  for (let e = 1; e < events.length; e++) {
    const ev = events[e] ?? 0;
    const t = ev % TERM_SLOTS;
    const pos = (ev - t) / TERM_SLOTS;
    for (let k = e - 1; k >= 0; k--) {
      const other = (events[k] ?? 0) % TERM_SLOTS;
      const d = pos - ((events[k] ?? 0) - other) / TERM_SLOTS;
      if (d > PROXIMITY_WINDOW) break;
      if (d === 0 || other === t) continue;
      acc[t] = (acc[t] ?? 0) + 1 / (d * d);
      acc[other] = (acc[other] ?? 0) + 1 / (d * d);
    }
  }
  return acc;
}

/**
 * What the title weighting and the proximity bonus add to a chunk's BM25 score for the query's terms.
 * BM25F with an unnormalised title field is BM25 with tf' = tf + titleWeight·tf_title·norm/k1 (the
 * title's occurrences enter before the length normalisation of the text); the addition is the
 * difference, so a chunk without title match or near pair keeps its BM25 score exactly.
 */
export function keywordBoost(
  chunk: ChunkTerms | TermPositions,
  terms: readonly WeightedQueryTerm[],
  length: LengthNorm,
  opts: Pick<LanguageKeywordOptions, 'titleWeight' | 'proximity'>,
): number {
  const at = 'positions' in chunk ? chunk : termPositions(chunk, terms);
  const counts = terms.map((_, i) => at.count(i));
  let boost = 0;
  if (opts.titleWeight > 0) {
    terms.forEach(({ weight }, i) => {
      const inTitle = at.titleCount(i);
      if (inTitle === 0) return;
      const body = counts[i] ?? 0;
      const fielded = body + (opts.titleWeight * inTitle * length.norm) / length.k1;
      boost += saturate(weight, fielded, length) - saturate(weight, body, length);
    });
  }
  // Proximity needs two distinct query terms in the chunk.
  if (opts.proximity > 0 && counts.filter((n) => n > 0).length > 1) {
    const acc = proximityFrequencies(terms.map((_, i) => at.positions(i)));
    terms.forEach(({ weight }, i) => {
      boost += opts.proximity * saturate(weight, acc[i] ?? 0, length);
    });
  }
  return boost;
}

/**
 * RM3's expanded query: a relevance model P(t|R) = Σ_d score(d)·tf(t,d)/|d| / Σ_d score(d) over the
 * feedback chunks (their words' terms, accented duplicates left out), its `terms` heaviest terms
 * normalised, interpolated with the original query's normalised frequencies. Returned as query
 * frequencies on the original scale (they sum to the original query's).
 */
export function rm3Query(
  query: ReadonlyMap<string, number>,
  feedback: readonly { chunk: ChunkTerms; score: number }[],
  opts: LanguageKeywordOptions['rm3'],
): Map<string, number> {
  const model = new Map<string, number>();
  let mass = 0;
  for (const { chunk, score } of feedback) {
    if (!(score > 0) || chunk.terms.length === 0) continue;
    mass += score;
    const share = score / chunk.terms.length;
    for (const term of chunk.terms) model.set(term, (model.get(term) ?? 0) + share);
  }
  const total = [...query.values()].reduce((a, b) => a + b, 0);
  if (mass === 0 || total === 0) return new Map(query);
  const picked = [...model]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.terms);
  const pickedMass = picked.reduce((a, [, p]) => a + p, 0);
  const out = new Map<string, number>();
  for (const [term, qtf] of query) out.set(term, opts.originalWeight * (qtf / total) * total);
  for (const [term, p] of picked) {
    const add = (1 - opts.originalWeight) * (p / pickedMass) * total;
    out.set(term, (out.get(term) ?? 0) + add);
  }
  return out;
}
