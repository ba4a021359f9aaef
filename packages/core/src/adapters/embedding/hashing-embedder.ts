import type { Embedder } from '../../ports/embedder';
import { ENGLISH_STOPWORDS } from '../../domain/search/stopwords';
import { foldDiacritics, foldedTerm, hasDiacritics, words } from '../../domain/search/tokenizer';

export const HASHING_EMBEDDER_ID = 'hashing-v1';

/** 32-bit FNV-1a followed by murmur3's finaliser, for well-mixed bits. */
function hash32(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function add(features: Map<string, number>, key: string, weight: number) {
  features.set(key, (features.get(key) ?? 0) + weight);
}

/**
 * Features of a text: folded+stemmed words (so inflections and missing diacritics meet), exact accented
 * words, word bigrams (phrases, Vietnamese compounds), and character 3-grams of each folded word with
 * boundary marks (so typos still share most of their features).
 */
export function hashingFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  let previous: string | null = null;
  for (const word of words(text)) {
    if (ENGLISH_STOPWORDS.has(word)) {
      previous = null;
      continue;
    }
    const term = foldedTerm(word);
    add(features, `w:${term}`, 1);
    if (hasDiacritics(word)) add(features, `a:${word}`, 0.5);
    if (previous !== null) add(features, `b:${previous} ${term}`, 0.5);
    previous = term;
    const padded = `<${foldDiacritics(word)}>`;
    if (padded.length > 4) {
      const grams = padded.length - 2;
      for (let i = 0; i < grams; i++)
        add(features, `c:${padded.slice(i, i + 3)}`, 1.2 / Math.sqrt(grams));
    }
  }
  return features;
}

/** Deterministic, offline embedder: signed feature hashing with sublinear weights, L2-normalised. */
export function createHashingEmbedder(dimensions = 768): Embedder {
  function embedOne(text: string): number[] {
    const v = new Float64Array(dimensions);
    for (const [feature, weight] of hashingFeatures(text)) {
      const h = hash32(feature, 0);
      const sign = hash32(feature, 0x9e3779b9) & 1 ? 1 : -1;
      v[h % dimensions]! += sign * Math.log1p(weight);
    }
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    const out = new Array<number>(dimensions);
    // Six decimals keep cosine exact to ~1e-6 and make the stored text half as long.
    for (let i = 0; i < dimensions; i++)
      out[i] = norm > 0 ? Math.round((v[i]! / norm) * 1e6) / 1e6 : 0;
    return out;
  }
  return {
    id: HASHING_EMBEDDER_ID,
    dimensions,
    embed: async (texts) => texts.map(embedOne),
  };
}
