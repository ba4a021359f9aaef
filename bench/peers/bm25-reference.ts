import type { PeerFamily } from './engine';
import { recordText } from './engine';

const tokens = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/**
 * The corpus README's sanity baseline, re-measured in the same run: plain BM25 (k1 = 0.9, b = 0.4, the
 * Anserini/BEIR defaults) over lower-cased `\w+` tokens of title + text, no stemming, no stop words,
 * exhaustive scoring. A peer below it has a defect worth explaining before its number is published.
 */
export const bm25ReferenceFamily: PeerFamily = {
  name: 'bm25-reference',
  appliesTo: () => true,
  build(input) {
    const k1 = 0.9;
    const b = 0.4;
    const postings = new Map<string, { doc: number; tf: number }[]>();
    const lengths: number[] = [];
    input.records.forEach((r, doc) => {
      const tf = new Map<string, number>();
      const words = tokens(recordText(r));
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, n] of tf) {
        const list = postings.get(w) ?? [];
        list.push({ doc, tf: n });
        postings.set(w, list);
      }
      lengths.push(words.length);
    });
    const n = input.records.length;
    const avg = lengths.reduce((a, x) => a + x, 0) / Math.max(1, n);
    return Promise.resolve({
      engines: [
        {
          name: 'bm25-reference',
          kind: 'keyword',
          settings: { k1, b, tokens: '\\w+ lower-cased', fields: 'title + text' },
          search(query, k) {
            const scores = new Map<number, number>();
            for (const w of tokens(query.text)) {
              const list = postings.get(w);
              if (!list) continue;
              const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
              for (const { doc, tf } of list) {
                const norm = k1 * (1 - b + (b * lengths[doc]!) / avg);
                scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
              }
            }
            const ranked = [...scores].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, k);
            return Promise.resolve(ranked.map(([doc]) => input.records[doc]!.id));
          },
        },
      ],
      diskBytes: () => Promise.resolve(null),
      close: () => Promise.resolve(),
    });
  },
};
