import { describe, expect, it } from 'vitest';

import {
  dcgAt,
  isScorable,
  meanMetrics,
  mrrAt,
  ndcgAt,
  percentile,
  queryMetrics,
  recallAt,
} from '../../../bench/lib/metrics';

const judged = (entries: [string, number][]) => new Map(entries);

describe('nDCG@k', () => {
  it('is 1 for the ideal ranking and 0 when nothing relevant is retrieved', () => {
    const q = judged([
      ['a', 1],
      ['b', 1],
    ]);
    expect(ndcgAt(['a', 'b', 'x'], q, 10)).toBe(1);
    expect(ndcgAt(['x', 'y'], q, 10)).toBe(0);
  });

  it('matches a hand computation with binary relevance', () => {
    // relevant a, b; ranking x, a, y, b → DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3)
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3);
    expect(
      ndcgAt(
        ['x', 'a', 'y', 'b'],
        judged([
          ['a', 1],
          ['b', 1],
        ]),
        10,
      ),
    ).toBeCloseTo(dcg / idcg, 12);
    expect(dcg / idcg).toBeCloseTo(0.6509209298071326, 12);
  });

  it('uses the grade as a linear gain (trec_eval), judged-0 and unjudged as 0', () => {
    // grades a=3, b=2, c=0 (judged non-relevant); ranking c, b, a, z
    const q = judged([
      ['a', 3],
      ['b', 2],
      ['c', 0],
    ]);
    const dcg = 0 + 2 / Math.log2(3) + 3 / Math.log2(4);
    const idcg = 3 + 2 / Math.log2(3);
    expect(ndcgAt(['c', 'b', 'a', 'z'], q, 10)).toBeCloseTo(dcg / idcg, 12);
    expect(dcg / idcg).toBeCloseTo(0.648040955, 9);
  });

  it('offers the exponential gain 2^g − 1, which equals the linear one on binary judgements', () => {
    const q = judged([
      ['a', 3],
      ['b', 2],
      ['c', 0],
    ]);
    // gains a=7, b=3: DCG = 3/log2(3) + 7/log2(4); IDCG = 7 + 3/log2(3)
    const expected = (3 / Math.log2(3) + 7 / 2) / (7 + 3 / Math.log2(3));
    expect(ndcgAt(['c', 'b', 'a'], q, 10, 'exponential')).toBeCloseTo(expected, 12);
    const binary = judged([
      ['a', 1],
      ['b', 1],
    ]);
    expect(ndcgAt(['x', 'a', 'b'], binary, 10, 'exponential')).toBe(
      ndcgAt(['x', 'a', 'b'], binary, 10),
    );
  });

  it('cuts both the ranking and the ideal list at k', () => {
    const q = judged([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    // k = 2: only a at rank 2 counts; ideal = 1 + 1/log2(3)
    expect(ndcgAt(['x', 'a', 'b', 'c'], q, 2)).toBeCloseTo(
      1 / Math.log2(3) / (1 + 1 / Math.log2(3)),
      12,
    );
    expect(dcgAt([1, 1, 1], 2)).toBeCloseTo(1 + 1 / Math.log2(3), 12);
  });
});

describe('Recall@k', () => {
  it('counts relevant documents (grade ≥ 1) found in the top k over all relevant', () => {
    const q = judged([
      ['a', 1],
      ['b', 2],
      ['c', 0],
      ['d', 1],
    ]);
    expect(recallAt(['a', 'c', 'x', 'b'], q, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAt(['a', 'c', 'x', 'b'], q, 10)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(['a', 'b', 'd'], q, 100)).toBe(1);
  });

  it('accepts a stricter threshold and ignores repeated ids', () => {
    const q = judged([
      ['a', 1],
      ['b', 2],
    ]);
    expect(recallAt(['a', 'b'], q, 10, 2)).toBe(1);
    expect(recallAt(['a', 'a', 'a'], q, 10)).toBe(0.5);
  });
});

describe('MRR@k', () => {
  it('is the reciprocal rank of the first relevant document within k', () => {
    const q = judged([
      ['b', 1],
      ['c', 0],
    ]);
    expect(mrrAt(['c', 'x', 'b'], q, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(['b'], q, 10)).toBe(1);
    expect(mrrAt(['c', 'x', 'b'], q, 2)).toBe(0);
  });
});

describe('aggregation', () => {
  it('averages per-query metrics', () => {
    const q = judged([['a', 1]]);
    const rows = [queryMetrics(['a'], q), queryMetrics(['x', 'a'], q)];
    const m = meanMetrics(rows);
    expect(m.mrr10).toBeCloseTo(0.75, 12);
    expect(m.recall10).toBe(1);
    expect(m.ndcg10).toBeCloseTo((1 + 1 / Math.log2(3)) / 2, 12);
    expect(m.ndcg10Exp).toBeCloseTo(m.ndcg10, 12);
  });

  it('knows which queries can be scored', () => {
    expect(isScorable(judged([['a', 0]]))).toBe(false);
    expect(
      isScorable(
        judged([
          ['a', 0],
          ['b', 2],
        ]),
      ),
    ).toBe(true);
  });

  it('takes nearest-rank percentiles', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });
});
