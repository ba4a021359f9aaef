import type { Embedder } from '../../ports/embedder';
import { ENGLISH_STOPWORDS } from '../../domain/search/stopwords';
import {
  foldDiacritics,
  foldedTerm,
  wordHasDiacritics,
  words,
} from '../../domain/search/tokenizer';

export const HASHING_EMBEDDER_ID = 'hashing-v1';

/**
 * The hashing embedder is a second, weaker lexical model (no idf, hash collisions at 768 dimensions):
 * alone it ranks 0.03–0.11 nDCG@10 below BM25 on every dev set, and taken at face value (weight 1) the
 * default alpha 0.7 let it outvote BM25 on the English sets. 0.3 was chosen on the even-indexed queries
 * of the four dev sets (the weight whose worst per-set gain over keyword is best) and confirmed on the
 * odd-indexed ones; README "Retrieval quality" has the numbers.
 */
export const HASHING_FUSION_WEIGHT = 0.3;

// Seeds keep the feature families (word, accented word, bigram, trigram) in separate hash spaces.
const SEED_WORD = 0x811c9dc5;
const SEED_ACCENT = 0x01000193;
const SEED_BIGRAM = 0x2545f491;
const SEED_GRAM = 0x9e3779b9;

/** murmur3's finaliser: spreads the bits of a 32-bit hash. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's UTF-16 code units, from `start` to `end`. */
function fnv(text: string, seed: number, start = 0, end = text.length): number {
  let h = seed;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A word's own features: its term, its accented form (-1: none) and its boundary-marked trigrams. */
type WordFeatures = { term: number; accent: number; grams: number[]; gramWeight: number };

const wordCache = new Map<string, WordFeatures>();
/** Cached per word (the vocabulary is small next to the text): only the bigrams depend on context. */
function wordFeatures(word: string): WordFeatures {
  let f = wordCache.get(word);
  if (f === undefined) {
    const padded = `<${foldDiacritics(word)}>`;
    const grams: number[] = [];
    if (padded.length > 4)
      for (let i = 0; i < padded.length - 2; i++) grams.push(fnv(padded, SEED_GRAM, i, i + 3));
    f = {
      term: fnv(foldedTerm(word), SEED_WORD),
      accent: wordHasDiacritics(word) ? fnv(word, SEED_ACCENT) : -1,
      grams,
      gramWeight: grams.length ? 1.2 / Math.sqrt(grams.length) : 0,
    };
    if (wordCache.size > 200_000) wordCache.clear();
    wordCache.set(word, f);
  }
  return f;
}

/**
 * Feature weights summed per key in first-seen order, in reused typed arrays: a Map<number, number> of
 * 32-bit keys boxed every key and sum, most of the ingest worker's garbage. The sums are the same
 * additions in the same order, so vectors are bit-for-bit those of the Map.
 */
class FeatureTable {
  count = 0;
  keys = new Uint32Array(1024);
  weights = new Float64Array(1024);
  /** Open addressing: slot → index + 1 in `keys`, valid when its stamp is the current text's. */
  private slots = new Int32Array(2048);
  private stamps = new Int32Array(2048);
  private stamp = 0;

  reset() {
    this.count = 0;
    this.stamp++;
  }

  add(key: number, weight: number) {
    const mask = this.slots.length - 1;
    for (let s = Math.imul(key, 0x9e3779b1) >>> 0; ; s++) {
      const slot = s & mask;
      if (this.stamps[slot] !== this.stamp) {
        this.stamps[slot] = this.stamp;
        this.slots[slot] = this.count + 1;
        this.keys[this.count] = key;
        this.weights[this.count] = weight;
        if (++this.count * 2 > mask) this.grow();
        return;
      }
      const at = (this.slots[slot] ?? 0) - 1;
      if (this.keys[at] === key) {
        this.weights[at] = (this.weights[at] ?? 0) + weight;
        return;
      }
    }
  }

  private grow() {
    const keys = new Uint32Array(this.keys.length * 2);
    keys.set(this.keys);
    const weights = new Float64Array(this.weights.length * 2);
    weights.set(this.weights);
    this.keys = keys;
    this.weights = weights;
    this.slots = new Int32Array(this.slots.length * 2);
    this.stamps = new Int32Array(this.stamps.length * 2);
    this.stamp = 1;
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let s = Math.imul(this.keys[i] ?? 0, 0x9e3779b1) >>> 0;
      while (this.stamps[s & mask] === 1) s++;
      this.stamps[s & mask] = 1;
      this.slots[s & mask] = i + 1;
    }
  }
}

const table = new FeatureTable();

/** The features of a text split into {@link words}, summed into `features` in first-seen order. */
function collect(all: readonly string[], features: FeatureTable) {
  features.reset();
  let previous = -1;
  for (const word of all) {
    if (ENGLISH_STOPWORDS.has(word)) {
      previous = -1;
      continue;
    }
    const { term, accent, grams, gramWeight } = wordFeatures(word);
    features.add(term, 1);
    if (accent !== -1) features.add(accent, 0.5);
    if (previous !== -1) features.add(fmix(previous ^ Math.imul(term, 31) ^ SEED_BIGRAM), 0.5);
    previous = term;
    for (const gram of grams) features.add(gram, gramWeight);
  }
}

/**
 * Hashed features of a text: folded+stemmed words (so inflections and missing diacritics meet), exact
 * accented words, word bigrams (phrases, Vietnamese compounds), and character trigrams of each folded word
 * with boundary marks (so typos still share most of their features). Keys are 32-bit feature hashes.
 */
export function hashingFeatures(text: string): Map<number, number> {
  collect(words(text), table);
  const features = new Map<number, number>();
  for (let i = 0; i < table.count; i++) features.set(table.keys[i] ?? 0, table.weights[i] ?? 0);
  return features;
}

let scratch = new Float64Array(0);

/**
 * One text's hashing embedding written into `out` from `offset` (`dimensions` components): the
 * embedder's vectors, also filled straight into one flat array for many texts (the ingest worker).
 * The text comes as its {@link words} (the ingest worker splits each chunk once for this and BM25).
 */
export function embedWordsInto(
  all: readonly string[],
  dimensions: number,
  out: { [i: number]: number },
  offset = 0,
): void {
  if (scratch.length !== dimensions) scratch = new Float64Array(dimensions);
  const v = scratch.fill(0);
  collect(all, table);
  const { keys, weights, count } = table;
  for (let f = 0; f < count; f++) {
    const feature = keys[f] ?? 0;
    const h = fmix(feature);
    const sign = fmix(feature ^ 0x5bd1e995) & 1 ? 1 : -1;
    const slot = h % dimensions;
    v[slot] = (v[slot] ?? 0) + sign * Math.log1p(weights[f] ?? 0);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  // Six decimals keep cosine exact to ~1e-6 and keep the stored text short.
  for (let i = 0; i < dimensions; i++)
    out[offset + i] = norm > 0 ? Math.round(((v[i] ?? 0) / norm) * 1e6) / 1e6 : 0;
}

/** Hashing embeddings of texts given as their {@link words}, one after another in one flat array. */
export function hashingVectorsOfWords(
  texts: readonly (readonly string[])[],
  dimensions: number,
): Float32Array {
  const flat = new Float32Array(texts.length * dimensions);
  texts.forEach((t, i) => embedWordsInto(t, dimensions, flat, i * dimensions));
  return flat;
}

/** Deterministic, offline embedder: signed feature hashing with sublinear weights, L2-normalised. */
export function createHashingEmbedder(dimensions = 768): Embedder {
  function embedOne(text: string): number[] {
    const out = new Array<number>(dimensions).fill(0);
    embedWordsInto(words(text), dimensions, out);
    return out;
  }
  return {
    id: HASHING_EMBEDDER_ID,
    dimensions,
    fusionWeight: HASHING_FUSION_WEIGHT,
    // The port is async; the executor turns a throw into a rejection as an async function would.
    embed: (texts) => new Promise((resolve) => resolve(texts.map(embedOne))),
  };
}
