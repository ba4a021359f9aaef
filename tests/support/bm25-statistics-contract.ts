import { randomUUID } from 'node:crypto';

import { expect, it } from 'vitest';

import type { Embedder, SearchHit, VectorIndex } from '@rag/core/testing';

import { chunkRecord } from './fixtures';

/**
 * Part of the VectorIndex contract: BM25 statistics (N, df, average length) are the user's own. If
 * another user's documents moved my scores, scores would tell me which terms others have written.
 */
export function bm25StatisticsContract(current: () => { index: VectorIndex; embedder: Embedder }) {
  async function upsertTexts(userId: string, texts: string[], fileId = randomUUID()) {
    const { index, embedder } = current();
    const vectors = await embedder.embed(texts);
    const records = texts.map((content, i) =>
      chunkRecord(userId, content, vectors[i]!, {
        fileId,
        filename: `${fileId}.txt`,
        chunkIndex: i,
      }),
    );
    await index.upsert(userId, records);
    return fileId;
  }
  const keyword = (userId: string, text: string, fileIds?: string[]) =>
    current().index.search({
      userId,
      mode: 'keyword',
      text,
      limit: 10,
      alpha: 0,
      ...(fileIds ? { filter: { fileIds } } : {}),
    });
  const scored = (hits: SearchHit[]) => hits.map((h) => [h.chunk.id, h.score]);

  it('keeps BM25 statistics per user: another user’s corpus never changes my scores', async () => {
    const me = randomUUID();
    const other = randomUUID();
    await upsertTexts(me, [
      'quantum entanglement explained',
      'classical mechanics basics',
      'thermodynamics of engines',
    ]);
    const before = await keyword(me, 'quantum mechanics');
    expect(before.length).toBe(2);
    await upsertTexts(
      other,
      Array.from({ length: 30 }, (_, i) => `quantum quantum mechanics noise ${i}`),
    );
    expect(scored(await keyword(me, 'quantum mechanics'))).toEqual(scored(before));
    await current().index.reset(other);
    expect(scored(await keyword(me, 'quantum mechanics'))).toEqual(scored(before));
    await current().index.reset(me);
  });

  it('weighs terms by the user’s own document frequencies', async () => {
    const me = randomUUID();
    const other = randomUUID();
    // For me "alpha" is everywhere and "omega" rare; the other user has it the other way round.
    await upsertTexts(me, ['alpha omega', 'alpha beta', 'alpha gamma', 'alpha delta']);
    await upsertTexts(other, ['omega one', 'omega two', 'omega three', 'alpha omega']);
    const [mine] = await keyword(me, 'alpha omega');
    const mineAlpha = await keyword(me, 'alpha');
    expect(mine!.chunk.content).toBe('alpha omega');
    // "omega" (1 of my 4 chunks) outweighs "alpha" (4 of 4) in my scores.
    expect(mine!.score).toBeGreaterThan(5 * mineAlpha[0]!.score);
    const theirs = await keyword(other, 'omega');
    expect(theirs.length).toBe(4);
    await current().index.reset(me);
    await current().index.reset(other);
  });

  it('a filter narrows the results, never the statistics', async () => {
    const me = randomUUID();
    const first = await upsertTexts(me, ['river delta silt', 'river bank erosion']);
    await upsertTexts(me, ['mountain river source', 'mountain pass snow', 'river mouth tide']);
    const all = new Map((await keyword(me, 'river silt')).map((h) => [h.chunk.id, h.score]));
    const narrowed = await keyword(me, 'river silt', [first]);
    expect(narrowed.length).toBe(2);
    for (const h of narrowed) expect(h.score).toBe(all.get(h.chunk.id));
    await current().index.reset(me);
  });
}
