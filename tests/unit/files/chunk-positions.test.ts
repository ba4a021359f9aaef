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
      const reference = termPositions(chunkTerms(content, section));
      const compact = store.of(slot);
      expect(compact?.english).toBe(reference.english);
      for (const q of queries) {
        for (const term of queryTerms(q).keys()) {
          expect([...(compact?.positions(term) ?? [])]).toEqual([...reference.positions(term)]);
          expect(compact?.titleCount(term)).toBe(reference.titleCount(term));
        }
      }
    });
    store.clear(1);
    expect(store.of(1)).toBeNull();
    expect(store.of(99)).toBeNull();
  });

  it('re-rank the same as the word-by-word walk (title weight and proximity)', () => {
    const store = new ChunkPositions();
    texts.forEach(([content, section], slot) => store.set(slot, content, section));
    let lifted = 0;
    texts.forEach(([content, section], slot) => {
      for (const q of queries) {
        const terms = [...queryTerms(q).keys()].map((term, i) => ({ term, weight: 1 + i / 3 }));
        const compact = store.of(slot);
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
    const at = termPositions(chunk);
    expect([...at.positions('mua')]).toEqual([2, 4]);
    expect([...at.positions('mua')]).toEqual([...at.positions('mua')]);
    const terms = [
      { term: 'mua', weight: 1 },
      { term: 'ban', weight: 1 },
    ];
    const near = keywordBoost(chunk, terms, length, { titleWeight: 0, proximity: 1 });
    const one = keywordBoost(chunkTerms('mua bán', null), terms, length, {
      titleWeight: 0,
      proximity: 1,
    });
    expect(near).toBeGreaterThan(one);
    expect(one).toBeGreaterThan(0);
  });
});
