import { describe, expect, it } from 'vitest';

import {
  calibratedScale,
  createHashingEmbedder,
  DEFAULT_FUSION_WEIGHT,
  effectiveAlpha,
  fuseHybrid,
  HASHING_FUSION_WEIGHT,
  retrieve,
  type Embedder,
  type SearchHit,
} from '@rag/core/testing';

import { recordingIndex } from '../../support/test-doubles';

type StoredChunk = SearchHit['chunk'];

const chunk = (id: string): StoredChunk =>
  ({ id, fileId: `f-${id}`, filename: `${id}.md`, content: id }) as StoredChunk;

/** A deterministic pseudo-random sequence, so the property checks see the same cases every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('hybrid fusion', () => {
  it('max-normalises BM25, clamps cosine to 0..1, and fuses alpha·semantic + (1−alpha)·keyword', () => {
    const chunks = new Map(['a', 'b', 'c'].map((id) => [id, chunk(id)]));
    const hits = fuseHybrid(
      chunks,
      new Map([
        ['a', 0.2],
        ['b', 0.9],
        ['c', -0.4],
      ]),
      new Map([
        ['a', 8],
        ['b', 2],
        ['c', 4],
      ]),
      0.5,
      3,
    );
    expect(hits.map((h) => [h.chunk.id, h.score])).toEqual([
      ['a', 0.5 * 0.2 + 0.5 * 1],
      ['b', 0.5 * 0.9 + 0.5 * 0.25],
      ['c', 0.5 * 0 + 0.5 * 0.5],
    ]);
    expect(hits[2]).toMatchObject({ semanticScore: -0.4, keywordScore: 4 });
  });

  it('maps a calibrated alpha to the equivalent alpha on raw scores', () => {
    expect(effectiveAlpha(0.7, 1)).toBe(0.7);
    expect(effectiveAlpha(0, 0.3)).toBe(0);
    expect(effectiveAlpha(1, 0.3)).toBe(1);
    expect(effectiveAlpha(0.7, 0.3)).toBeCloseTo(0.21 / 0.51, 12);
    expect(effectiveAlpha(0.5, 0.25)).toBeCloseTo(0.2, 12);
    expect(calibratedScale(0.7, 0.3)).toBeCloseTo(0.51, 12);
    expect(calibratedScale(0.7, 1)).toBe(1);
    for (const bad of [0, -0.1, 1.01, Number.NaN]) {
      expect(() => effectiveAlpha(0.7, bad)).toThrow(RangeError);
      expect(() => calibratedScale(0.7, bad)).toThrow(RangeError);
    }
  });

  it('fusing with the effective alpha, rescaled, is exactly alpha·(weight·cosine) + (1−alpha)·keyword', () => {
    const rnd = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const alpha = Math.round(rnd() * 100) / 100;
      const weight = Math.max(0.05, Math.round(rnd() * 100) / 100);
      const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
      const sem = new Map(ids.map((id) => [id, rnd() * 1.2 - 0.2]));
      const kw = new Map(ids.map((id) => [id, rnd() < 0.2 ? 0 : rnd() * 20]));
      const maxKw = Math.max(...kw.values());
      const expected = ids
        .map((id) => ({
          id,
          score:
            alpha * weight * Math.min(1, Math.max(0, sem.get(id)!)) +
            (1 - alpha) * (kw.get(id)! / maxKw),
        }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      const scale = calibratedScale(alpha, weight);
      const fused = fuseHybrid(
        new Map(ids.map((id) => [id, chunk(id)])),
        sem,
        kw,
        effectiveAlpha(alpha, weight),
        ids.length,
      );
      // Every hit's rescaled score is its own calibrated score, and they come in the calibrated order.
      fused.forEach((hit, i) => {
        const own =
          alpha * weight * Math.min(1, Math.max(0, hit.semanticScore!)) +
          (1 - alpha) * (hit.keywordScore! / maxKw);
        expect(hit.score * scale).toBeCloseTo(own, 12);
        expect(hit.score * scale).toBeCloseTo(expected[i]!.score, 12);
      });
    }
  });
});

describe('retrieve applies the embedder’s fusion weight', () => {
  const hit = (id: string, score: number): SearchHit => ({
    chunk: chunk(id),
    score,
    semanticScore: 0.5,
    keywordScore: 3,
  });
  const input = { userId: 'u', query: 'q', fileIds: [], limit: 5 };

  it('hybrid: the index fuses with the effective alpha; scores come back on the calibrated scale', async () => {
    const embedder = createHashingEmbedder(16);
    const { index, queries } = recordingIndex([hit('a', 0.8), hit('b', 0.4)]);
    const out = await retrieve(
      { embedder, vectorIndex: index },
      { ...input, mode: 'hybrid', alpha: 0.7 },
    );
    expect(queries[0]!.alpha).toBeCloseTo(effectiveAlpha(0.7, HASHING_FUSION_WEIGHT), 12);
    expect(queries[0]!.vector).toHaveLength(16);
    const scale = 0.7 * HASHING_FUSION_WEIGHT + 0.3;
    expect(out.map((h) => h.score)).toEqual([0.8 * scale, 0.4 * scale]);
    expect(out.map((h) => h.chunk.id)).toEqual(['a', 'b']);
  });

  it('pure modes pass alpha through and keep the index scores', async () => {
    const embedder = createHashingEmbedder(16);
    for (const mode of ['semantic', 'keyword'] as const) {
      const { index, queries } = recordingIndex([hit('a', 0.8)]);
      const out = await retrieve({ embedder, vectorIndex: index }, { ...input, mode, alpha: 0.7 });
      expect(queries[0]!.alpha).toBe(0.7);
      expect(out[0]!.score).toBe(0.8);
    }
  });

  it('an embedder that declares no weight is taken at face value', async () => {
    const plain: Embedder = {
      id: 'plain',
      dimensions: 2,
      embed: async (texts) => texts.map(() => [1, 0]),
    };
    expect(DEFAULT_FUSION_WEIGHT).toBe(1);
    const { index, queries } = recordingIndex([hit('a', 0.8)]);
    const out = await retrieve(
      { embedder: plain, vectorIndex: index },
      { ...input, mode: 'hybrid', alpha: 0.7 },
    );
    expect(queries[0]!.alpha).toBe(0.7);
    expect(out[0]!.score).toBe(0.8);
  });
});
