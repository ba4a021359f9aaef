import type { PeerFamily } from './engine';
import { recordText } from './engine';

const tokens = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/**
 * The corpus README's sanity baseline, re-measured in the same run: plain BM25 (k1 = 0.9, b = 0.4, the
 * Anserini/BEIR defaults) over lower-cased `\w+` tokens of title + text, no stemming, no stop words,
 * exhaustive scoring. A peer below it has a defect worth explaining before its number is published.
 */
export const bm25ReferenceFamily = bm25Family({ name: 'bm25-reference', k1: 0.9, b: 0.4 });

/**
 * The same scorer with other parameters, for diagnosis (bench/peers/diagnose.ts): `uniqueQueryTerms`
 * scores a repeated query word once, as an OR of words does (FTS5, Orama).
 */
export function bm25Family(opts: {
  name: string;
  k1: number;
  b: number;
  uniqueQueryTerms?: boolean;
  /** 'robertson' is FTS5's idf, log((N − n + 0.5) / (n + 0.5)), floored at 1e-6 as FTS5 does. */
  idf?: 'lucene' | 'robertson';
  stopWords?: ReadonlySet<string>;
  /** Multiplies a document's score by how many distinct query words it matched, as MiniSearch does. */
  coordination?: boolean;
}): PeerFamily {
  const { k1, b } = opts;
  return {
    name: opts.name,
    appliesTo: () => true,
    build(input) {
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
            name: opts.name,
            kind: 'keyword',
            settings: { k1, b, tokens: '\\w+ lower-cased', fields: 'title + text' },
            search(query, k) {
              const scores = new Map<number, number>();
              const matched = new Map<number, Set<string>>();
              const words = tokens(query.text);
              for (const w of opts.uniqueQueryTerms ? new Set(words) : words) {
                const list = postings.get(w);
                if (!list) continue;
                const odds = (n - list.length + 0.5) / (list.length + 0.5);
                const idf =
                  opts.idf === 'robertson' ? Math.max(1e-6, Math.log(odds)) : Math.log(1 + odds);
                for (const { doc, tf } of list) {
                  const norm = k1 * (1 - b + (b * lengths[doc]!) / avg);
                  scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
                  if (opts.coordination) matched.set(doc, (matched.get(doc) ?? new Set()).add(w));
                }
              }
              if (opts.coordination)
                for (const [doc, words] of matched) scores.set(doc, scores.get(doc)! * words.size);
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
}
