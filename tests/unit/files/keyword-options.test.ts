import { describe, expect, it } from 'vitest';

import {
  DEFAULT_BM25,
  DEFAULT_KEYWORD,
  documentTerms,
  keywordOptionsFrom,
  patchKeywordOptions,
  PLAIN_KEYWORD,
  queryTerms,
} from '@rag/core/testing';

import { UserPostings } from '../../../packages/core/src/adapters/vector/bm25-postings';
import { optionedKeyword } from '../../../packages/core/src/adapters/vector/keyword-rerank';
import {
  chunkTerms,
  keywordBoost,
  queryFrequencies,
  rm3Query,
} from '../../../packages/core/src/domain/search/rerank';
import type { StoredChunk } from '../../../packages/core/src/ports/vector-index';

const length = { k1: 1.2, norm: 1.2 };

function postingsOf(chunks: { content: string; section?: string }[]): UserPostings {
  const postings = new UserPostings('1');
  postings.add(
    chunks.map((c, i) => {
      const id = `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`;
      const { tf, length: tokenCount } = documentTerms(c.content);
      const chunk: StoredChunk = {
        id,
        userId: 'u',
        fileId: `f${i}`,
        filename: `f${i}.md`,
        chunkIndex: 0,
        content: c.content,
        page: null,
        pageLabel: null,
        section: c.section ?? null,
        charStart: 0,
        charEnd: c.content.length,
      };
      return { id, fileId: chunk.fileId, tokenCount, tf, chunk };
    }),
  );
  return postings;
}

function shapeOf(postings: UserPostings) {
  const { avgLength } = postings.stats([]);
  const { k1, b } = DEFAULT_BM25;
  return { k1, base: k1 * (1 - b), slope: (k1 * b) / (avgLength || 1) };
}

const contents = (postings: UserPostings, scores: Map<string, number>) =>
  [...scores.keys()].map((id) => postings.chunk(id)?.content);

describe('keyword options', () => {
  it('title weighting (BM25F) raises a chunk whose heading holds the query term, and only then', () => {
    const terms = [{ term: '~vaccin', weight: 2 }];
    const titled = chunkTerms('The trial enrolled adults.', 'Vaccine trial');
    const untitled = chunkTerms('The trial enrolled adults.', 'Methods');
    const on = { titleWeight: 1, proximity: 0 };
    expect(keywordBoost(titled, terms, length, on)).toBeGreaterThan(0);
    expect(keywordBoost(untitled, terms, length, on)).toBe(0);
    expect(keywordBoost(titled, terms, length, { titleWeight: 0, proximity: 0 })).toBe(0);
    // A term already in the text gains less from the title (saturation), but still gains.
    const both = chunkTerms('The vaccine trial enrolled adults.', 'Vaccine trial');
    const gain = keywordBoost(both, terms, length, on);
    expect(gain).toBeGreaterThan(0);
    expect(gain).toBeLessThan(keywordBoost(titled, terms, length, on));
  });

  it('proximity rewards query terms that stand near each other, not far apart', () => {
    const terms = [...queryTerms('hợp đồng')].map(([term]) => ({ term, weight: 1 }));
    const near = chunkTerms('Các bên ký hợp đồng mua bán nhà ở theo quy định.', null);
    const far = chunkTerms(
      'Các bên ký hợp theo quy định của luật về nhà ở và đất đai, đồng thời.',
      null,
    );
    const on = { titleWeight: 0, proximity: 1 };
    expect(keywordBoost(near, terms, length, on)).toBeGreaterThan(0);
    expect(keywordBoost(far, terms, length, on)).toBe(0);
    expect(keywordBoost(near, terms, length, { titleWeight: 0, proximity: 0 })).toBe(0);
  });

  it('RM3 interpolates the original query with the feedback chunks’ heaviest terms', () => {
    const query = new Map([['~vaccin', 1]]);
    const feedback = [
      { chunk: chunkTerms('vaccine antibody antibody response', null), score: 2 },
      { chunk: chunkTerms('vaccine antibody titre', null), score: 1 },
    ];
    const expanded = rm3Query(query, feedback, { docs: 2, terms: 2, originalWeight: 0.7 });
    expect([...expanded.keys()].sort()).toEqual(['~antibodi', '~vaccin']);
    // The weights keep the original query's total; the original term keeps at least its 70 %.
    expect([...expanded.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(expanded.get('~vaccin')).toBeGreaterThan(0.7);
  });

  it('RM3 finds a chunk holding no query term through the feedback, on English chunks only', () => {
    const english = postingsOf([
      { content: 'Measles vaccine raises antibody titres in children.' },
      { content: 'Measles vaccine antibody response lasts for years.' },
      { content: 'Antibody titres wane without boosters.' },
      { content: 'Tax law changed in the spring.' },
    ]);
    const qtf = queryTerms('measles vaccine');
    const rm3 = patchKeywordOptions(PLAIN_KEYWORD, {
      english: { rm3: { docs: 2, terms: 5, originalWeight: 0.5 } },
    });
    const plain = optionedKeyword(english, qtf, shapeOf(english), PLAIN_KEYWORD).top(10);
    const expanded = optionedKeyword(english, qtf, shapeOf(english), rm3).top(10);
    expect(contents(english, plain)).not.toContain('Antibody titres wane without boosters.');
    expect(contents(english, expanded)).toContain('Antibody titres wane without boosters.');
    expect(contents(english, expanded)).not.toContain('Tax law changed in the spring.');

    // The same options leave a Vietnamese collection alone (its RM3 is off).
    const vietnamese = postingsOf([
      { content: 'Hợp đồng thế chấp tài sản phải lập thành văn bản.' },
      { content: 'Tài sản thế chấp do bên thế chấp giữ.' },
      { content: 'Văn bản công chứng có giá trị pháp lý.' },
    ]);
    const vq = queryTerms('thế chấp');
    expect(optionedKeyword(vietnamese, vq, shapeOf(vietnamese), rm3).top(10)).toEqual(
      optionedKeyword(vietnamese, vq, shapeOf(vietnamese), PLAIN_KEYWORD).top(10),
    );
  });

  it('applies title weight and proximity by each chunk’s language', () => {
    const postings = postingsOf([
      { content: 'Bên mua trả tiền, bên bán giao hàng theo hợp đồng.' },
      { content: 'Hợp đồng mua bán hàng hóa phải lập thành văn bản.' },
    ]);
    const qtf = queryTerms('hợp đồng mua bán');
    const shape = shapeOf(postings);
    const plain = optionedKeyword(postings, qtf, shape, PLAIN_KEYWORD);
    const english = patchKeywordOptions(PLAIN_KEYWORD, { english: { proximity: 1 } });
    const vietnamese = patchKeywordOptions(PLAIN_KEYWORD, { vietnamese: { proximity: 1 } });
    // English proximity does not touch Vietnamese chunks; Vietnamese proximity lifts the phrase.
    expect(optionedKeyword(postings, qtf, shape, english).top(2)).toEqual(plain.top(2));
    const lifted = optionedKeyword(postings, qtf, shape, vietnamese);
    const [first] = lifted.top(2).keys();
    expect(postings.chunk(first ?? '')?.content).toBe(
      'Hợp đồng mua bán hàng hóa phải lập thành văn bản.',
    );
    // Exact scores of given chunks carry the same addition as the ranking.
    const ids = [...lifted.top(2).keys()];
    expect([...lifted.of(ids)]).toEqual([...lifted.top(2)]);
  });

  it('counts a repeated English query stem once (termsOnce), by the language of the term', () => {
    // "reticulum stress … reticulum stress": the repeat must not outweigh the claim's other word.
    const english = postingsOf([
      { content: 'Reticulum stress rises in beta cells under glucose.' },
      { content: 'Glucose uptake and insulin secretion by beta cells.' },
      { content: 'Reticulum stress in neurons.' },
      { content: 'Tax law changed in the spring.' },
    ]);
    const qtf = queryTerms('reticulum stress responds to reticulum stress, not to glucose');
    expect(qtf.get('~stress')).toBe(2);
    const once = patchKeywordOptions(PLAIN_KEYWORD, { english: { termsOnce: true } });
    expect(queryFrequencies(qtf, once).get('~stress')).toBe(1);
    // Vietnamese-side terms (no stem prefix) keep their count under the English option.
    expect(queryFrequencies(qtf, once).get('stress')).toBe(2);
    expect(queryFrequencies(qtf, PLAIN_KEYWORD)).toBe(qtf);

    const shape = shapeOf(english);
    const single = queryTerms('reticulum stress responds to glucose');
    const scoresOf = (q: Map<string, number>, o: typeof once) =>
      optionedKeyword(english, q, shape, o).top(10);
    // With the option, the repeated claim scores exactly as the claim saying each word once.
    expect([...scoresOf(qtf, once)]).toEqual([...scoresOf(single, PLAIN_KEYWORD)]);
    expect([...scoresOf(qtf, PLAIN_KEYWORD)]).not.toEqual([...scoresOf(single, PLAIN_KEYWORD)]);
    expect(DEFAULT_KEYWORD.english.termsOnce).toBe(true);
    expect(DEFAULT_KEYWORD.vietnamese.termsOnce).toBe(false);

    // The English option leaves Vietnamese chunks alone: a repeated syllable still counts twice there.
    const vietnamese = postingsOf([
      { content: 'Hợp đồng thế chấp tài sản phải lập thành văn bản.' },
      { content: 'Tài sản thế chấp do bên thế chấp giữ.' },
    ]);
    const vq = queryTerms('thế chấp tài sản thế chấp');
    const vs = shapeOf(vietnamese);
    expect(optionedKeyword(vietnamese, vq, vs, once).top(10)).toEqual(
      optionedKeyword(vietnamese, vq, vs, PLAIN_KEYWORD).top(10),
    );
  });

  it('reads BM25_KEYWORD: unset = defaults, plain, or a JSON patch over the defaults', () => {
    expect(keywordOptionsFrom(undefined)).toEqual(DEFAULT_KEYWORD);
    expect(keywordOptionsFrom('plain')).toEqual(PLAIN_KEYWORD);
    const patched = keywordOptionsFrom('{"english":{"titleWeight":1},"proximity":0}');
    expect(patched.english.titleWeight).toBe(1);
    expect(patched.english.rm3).toEqual(DEFAULT_KEYWORD.english.rm3);
    expect(patched.vietnamese.proximity).toBe(0);
    expect(() => keywordOptionsFrom('{oops')).toThrow(/BM25_KEYWORD/);
  });
});
