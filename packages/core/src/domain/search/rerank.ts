import { PROXIMITY_WINDOW, type LanguageKeywordOptions } from './keyword-options';
import { passageTerms, type PassageTerms } from './tokenizer';

/** A chunk as the keyword options read it: its words in order and its heading's term frequencies. */
export type ChunkTerms = PassageTerms & { title: Map<string, number> };

/** Tokenizes a chunk's text and heading (the heading in the language of the text). */
export function chunkTerms(content: string, section: string | null): ChunkTerms {
  const body = passageTerms(content);
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

/** A query term with its BM25 weight (idf × query frequency). */
export type WeightedQueryTerm = { term: string; weight: number };

/** BM25's length normalisation of one chunk: k1·(1 − b + b·len/avg). */
export type LengthNorm = { k1: number; norm: number };

const saturate = (weight: number, tf: number, { k1, norm }: LengthNorm) =>
  tf > 0 ? (weight * tf * (k1 + 1)) / (tf + norm) : 0;

/** Term frequencies of the query's terms in the chunk's text (accented forms count like the index). */
function bodyFrequencies(chunk: ChunkTerms, index: Map<string, number>): Float64Array {
  const tf = new Float64Array(index.size);
  chunk.terms.forEach((term, i) => {
    const a = index.get(term);
    if (a !== undefined) tf[a] = (tf[a] ?? 0) + 1;
    const exact = chunk.accented[i];
    const b = exact ? index.get(exact) : undefined;
    if (b !== undefined) tf[b] = (tf[b] ?? 0) + 1;
  });
  return tf;
}

/**
 * Proximity frequency of each query term (BM25TP): every pair of distinct query terms at most
 * {@link PROXIMITY_WINDOW} words apart adds 1/distance² to both. A word may match two query terms
 * (its folded and its accented form); the pair of those two is not counted.
 */
function proximityFrequencies(chunk: ChunkTerms, index: Map<string, number>): Float64Array {
  const acc = new Float64Array(index.size);
  // Query-term matches of the last PROXIMITY_WINDOW words, as (position, term) pairs.
  const positions: number[] = [];
  const matched: number[] = [];
  const pair = (t: number, pos: number) => {
    for (let k = positions.length - 1; k >= 0; k--) {
      const d = pos - (positions[k] ?? 0);
      if (d > PROXIMITY_WINDOW) break;
      const other = matched[k] ?? -1;
      if (d === 0 || other === t) continue;
      acc[t] = (acc[t] ?? 0) + 1 / (d * d);
      acc[other] = (acc[other] ?? 0) + 1 / (d * d);
    }
  };
  chunk.terms.forEach((term, pos) => {
    const a = index.get(term);
    const exact = chunk.accented[pos];
    const b = exact ? index.get(exact) : undefined;
    if (a === undefined && b === undefined) return;
    if (a !== undefined) pair(a, pos);
    if (b !== undefined) pair(b, pos);
    if (a !== undefined) {
      positions.push(pos);
      matched.push(a);
    }
    if (b !== undefined) {
      positions.push(pos);
      matched.push(b);
    }
    // Matches out of the window are never read again.
    if (positions.length > 64) {
      positions.splice(0, 32);
      matched.splice(0, 32);
    }
  });
  return acc;
}

/**
 * What the title weighting and the proximity bonus add to a chunk's BM25 score for the query's terms.
 * BM25F with an unnormalised title field is BM25 with tf' = tf + titleWeight·tf_title·norm/k1 (the
 * title's occurrences enter before the length normalisation of the text); the addition is the
 * difference, so a chunk without title match or near pair keeps its BM25 score exactly.
 */
export function keywordBoost(
  chunk: ChunkTerms,
  terms: readonly WeightedQueryTerm[],
  length: LengthNorm,
  opts: Pick<LanguageKeywordOptions, 'titleWeight' | 'proximity'>,
  index: Map<string, number> = new Map(terms.map((t, i) => [t.term, i])),
): number {
  let boost = 0;
  const tf = bodyFrequencies(chunk, index);
  if (opts.titleWeight > 0 && chunk.title.size > 0) {
    terms.forEach(({ term, weight }, i) => {
      const inTitle = chunk.title.get(term) ?? 0;
      if (inTitle === 0) return;
      const body = tf[i] ?? 0;
      const fielded = body + (opts.titleWeight * inTitle * length.norm) / length.k1;
      boost += saturate(weight, fielded, length) - saturate(weight, body, length);
    });
  }
  // Proximity needs two distinct query terms in the chunk.
  if (opts.proximity > 0 && tf.filter((n) => n > 0).length > 1) {
    const acc = proximityFrequencies(chunk, index);
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
