import { describe, expect, it } from 'vitest';

import { queryTerms } from '@rag/core/testing';

import { ChunkPositions } from '../../../packages/core/src/adapters/vector/chunk-positions';
import {
  chunkTerms,
  keywordBoost,
  termPositions,
} from '../../../packages/core/src/domain/search/rerank';

const texts: [string, string | null][] = [
  [
    'The measles vaccine trial enrolled adults; the vaccine raised antibody titres.',
    'Vaccine trial',
  ],
  ['Hợp đồng mua bán nhà ở phải lập thành văn bản, hợp đồng có công chứng.', 'Hợp đồng mua bán'],
  ['Hop dong mua ban nha o phai lap thanh van ban.', null],
  ['Nothing relevant here at all.', 'Methods'],
];
const queries = [
  'vaccine antibody trial',
  'hợp đồng mua bán',
  'hop dong van ban',
  'measles titres',
];
const length = { k1: 1.2, norm: 1.1 };
const opts = { titleWeight: 0.7, proximity: 0.5 };

describe('compact chunk positions', () => {
  it('give every query term the positions and heading counts of the tokenized chunk', () => {
    const store = new ChunkPositions();
    texts.forEach(([content, section], slot) => store.set(slot, content, section));
    texts.forEach(([content, section], slot) => {
      for (const q of queries) {
        const terms = [...queryTerms(q).keys()].map((term) => ({ term }));
        const reference = termPositions(chunkTerms(content, section), terms);
        const compact = store.of(slot, store.ids(terms));
        expect(compact?.english).toBe(reference.english);
        terms.forEach((_, i) => {
          expect(Array.from(compact?.positions(i) ?? [])).toEqual(
            Array.from(reference.positions(i)),
          );
          expect(compact?.count(i)).toBe(reference.positions(i).length);
          expect(compact?.titleCount(i)).toBe(reference.titleCount(i));
        });
      }
    });
    const none = store.ids([{ term: 'absent' }]);
    expect(store.of(0, none)?.count(0)).toBe(0);
    store.clear(1);
    expect(store.of(1, none)).toBeNull();
    expect(store.of(99, none)).toBeNull();
  });

  it('re-rank the same as the word-by-word walk (title weight and proximity)', () => {
    const store = new ChunkPositions();
    texts.forEach(([content, section], slot) => store.set(slot, content, section));
    let lifted = 0;
    texts.forEach(([content, section], slot) => {
      for (const q of queries) {
        const terms = [...queryTerms(q).keys()].map((term, i) => ({ term, weight: 1 + i / 3 }));
        const compact = store.of(slot, store.ids(terms));
        const expected = keywordBoost(chunkTerms(content, section), terms, length, opts);
        expect(compact && keywordBoost(compact, terms, length, opts)).toBeCloseTo(expected, 12);
        if (expected > 0) lifted++;
      }
    });
    // The cases do exercise both additions.
    expect(lifted).toBeGreaterThan(3);
  });

  it('counts a pair of query terms once per distance, never a word with itself', () => {
    // "mua" and "bán" one word apart twice, "hợp" – "đồng" adjacent: proximity on folded and accented.
    const chunk = chunkTerms('hợp đồng mua bán, mua bán', null);
    const terms = [
      { term: 'mua', weight: 1 },
      { term: 'ban', weight: 1 },
    ];
    expect(Array.from(termPositions(chunk, terms).positions(0))).toEqual([2, 4]);
    const near = keywordBoost(chunk, terms, length, { titleWeight: 0, proximity: 1 });
    const one = keywordBoost(chunkTerms('mua bán', null), terms, length, {
      titleWeight: 0,
      proximity: 1,
    });
    expect(near).toBeGreaterThan(one);
    expect(one).toBeGreaterThan(0);
  });
});
