import type { CorpusRecord } from '../beir';
import type { PeerEngine } from './engine';

const tokens = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/**
 * The corpus README's sanity baseline, re-measured in the same run: plain BM25 (k1 = 0.9, b = 0.4) over
 * lower-cased `\w+` tokens of title + text, no stemming, no stopwords, exhaustive scoring.
 */
export function createReferenceBm25(corpus: readonly CorpusRecord[], k: number): PeerEngine {
  const k1 = 0.9;
  const b = 0.4;
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths: number[] = [];
  corpus.forEach((r, doc) => {
    const tf = new Map<string, number>();
    const words = tokens(`${r.title} ${r.text}`);
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const [w, n] of tf) {
      const list = postings.get(w) ?? [];
      list.push({ doc, tf: n });
      postings.set(w, list);
    }
    lengths.push(words.length);
  });
  const avg = lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length);
  return {
    name: 'bm25-reference',
    settings: { k1, b, tokens: '\\w+ lower-cased', fields: 'title + text' },
    search(query) {
      const scores = new Map<number, number>();
      for (const w of tokens(query)) {
        const list = postings.get(w);
        if (!list) continue;
        const idf = Math.log(1 + (corpus.length - list.length + 0.5) / (list.length + 0.5));
        for (const { doc, tf } of list) {
          const norm = k1 * (1 - b + (b * lengths[doc]!) / avg);
          scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
        }
      }
      const ranked = [...scores].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, k);
      return Promise.resolve(ranked.map(([doc]) => corpus[doc]!.id));
    },
  };
}
