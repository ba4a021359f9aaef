import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHashingEmbedder,
  ingestFile,
  ingestFiles,
  type Deps,
  type Embedder,
  type IngestInput,
  type SearchHit,
} from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';
import { createTestDeps } from '../../support/harness';
import { waitUntil } from '../../support/wait';

/** Small documents of different lengths (1–14 chunks each): 60 of them make more than one write batch. */
function documents(userId: string, count = 60): IngestInput[] {
  return Array.from({ length: count }, (_, i) => ({
    userId,
    filename: `doc-${i}.md`,
    source: Buffer.from(
      `# Record ${i}\n\n${paragraphs(`topic ${i % 7} bulk loading ${i}`, 5 + (i % 9) * 10)}\n`,
    ),
  }));
}

/**
 * A search's hits by what they are (chunk ids differ between two uploads of the same files): the scores
 * in order, and which chunks score above the last one (chunks tied at the cut-off are interchangeable).
 */
const shape = (hits: SearchHit[]) => {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const scores = hits.map((h) => round(h.score));
  const cut = Math.min(...scores);
  const above = hits
    .filter((h) => round(h.score) > cut)
    .map((h) => `${h.chunk.filename}#${h.chunk.chunkIndex}@${round(h.score)}`)
    .sort();
  return { scores, above };
};

describe('bulk ingestion (many small files per batch)', () => {
  let deps: Deps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps?.close();
  });

  it('indexes every file once, with exact chunk counts and the same search results as one by one', async () => {
    const single = randomUUID();
    const bulk = randomUUID();
    const one: number[] = [];
    for (const input of documents(single)) one.push((await ingestFile(deps, input)).chunksCount);
    const results = await ingestFiles(deps, documents(bulk));
    const counts = results.map((r) => (r instanceof Error ? -1 : r.chunksCount));
    expect(counts).toEqual(one);
    const total = one.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(512); // more than one write batch
    expect(await deps.vectorIndex.count(bulk)).toBe(total);
    for (const [i, r] of results.entries()) {
      if (r instanceof Error) throw r;
      expect(r.duplicate).toBe(false);
      expect(await deps.vectorIndex.count(bulk, { fileIds: [r.fileId] })).toBe(one[i]);
      expect((await deps.jobs.get(bulk, r.jobId))?.status).toBe('done');
    }
    for (const text of ['bulk loading 17', 'topic 3 example number 42', 'Record 59 detail']) {
      for (const mode of ['keyword', 'hybrid'] as const) {
        const query = { text, mode, limit: 20, alpha: 0.7 };
        const a = await deps.vectorIndex.search({ ...query, userId: single });
        const b = await deps.vectorIndex.search({ ...query, userId: bulk });
        expect(a.length).toBeGreaterThan(0);
        expect(shape(b)).toEqual(shape(a));
      }
    }
  });

  it('answers identical bytes with the indexed copy and refuses what it cannot read, per file', async () => {
    const user = randomUUID();
    const [first] = await ingestFiles(deps, documents(user, 1));
    if (!first || first instanceof Error) throw new Error('first upload failed');
    const again = await ingestFiles(deps, [
      ...documents(user, 3),
      { userId: user, filename: 'empty.txt', source: Buffer.from('   \n') },
      { userId: user, filename: 'image.png', source: Buffer.from('png') },
    ]);
    expect(again[0]).toMatchObject({ duplicate: true, fileId: first.fileId });
    expect(again[1]).toMatchObject({ duplicate: false });
    expect(again[3]).toBeInstanceOf(Error);
    expect(again[4]).toBeInstanceOf(Error);
    expect(await deps.vectorIndex.count(user)).toBe(
      first.chunksCount +
        (again[1] as { chunksCount: number }).chunksCount +
        (again[2] as { chunksCount: number }).chunksCount,
    );
  });
});

/**
 * The hashing embedder until `after` documents went through; then it stalls until aborted. A batch's
 * files are read in groups of 16, two or three groups in flight, in the claim order (random among files
 * queued together), so the stall lands in one of the last groups started: every group before them is
 * embedded whatever the order of the calls.
 */
function stallingEmbedder(after: number): Embedder & { stalled: Promise<void> } {
  const inner = createHashingEmbedder(768);
  let calls = 0;
  let stalled: () => void = () => undefined;
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    fusionWeight: inner.fusionWeight,
    stalled: new Promise<void>((r) => (stalled = r)),
    embed(texts, opts) {
      if (opts?.kind === 'query' || ++calls <= after) return inner.embed(texts, opts);
      stalled();
      return new Promise((_, reject) =>
        opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    },
  };
}

describe('a crash mid-batch', () => {
  it('leaves no file indexed until the whole batch commits; the restart indexes each file exactly once', async () => {
    // 100 files in 7 read groups; the stall comes after 90, in group 6 or 7: groups 1–5 (80 files,
    // ~750 chunks) are embedded and make at least one written batch of ≥ 512 chunks.
    const count = 100;
    const stalling = stallingEmbedder(90);
    const first = await createTestDeps({}, { embedder: stalling });
    const user = randomUUID();
    const pending = ingestFiles(first, documents(user, count));
    await stalling.stalled;
    // The first write batch reaches the table while the batch is still open…
    await waitUntil(async () => (await first.vectorIndex.count(user)) > 0, 'the first write batch');
    // …but no file of it is indexed: the commit is one transaction at the end.
    const summary = await first.jobs.summary(user);
    expect(summary.done).toBe(0);
    await first.jobRunner.stop({ abandon: true });
    const second = await createTestDeps({ DATA_DIR: first.dataDir }, { database: first.database });
    try {
      const final = await waitUntil(async () => {
        const s = await second.jobs.summary(user);
        return s.done === count && s;
      }, 'every job done after the restart');
      expect(final.failed).toBe(0);
      const expected = documents(randomUUID(), count);
      const singleUser = randomUUID();
      let total = 0;
      for (const input of expected.map((d) => ({ ...d, userId: singleUser })))
        total += (await ingestFile(second, input)).chunksCount;
      expect(await second.vectorIndex.count(user)).toBe(total);
      const hits = (u: string) =>
        second.vectorIndex.search({
          userId: u,
          text: 'bulk loading 33',
          mode: 'keyword',
          limit: 10,
          alpha: 0,
        });
      expect(shape(await hits(user))).toEqual(shape(await hits(singleUser)));
    } finally {
      await second.close();
      await pending.catch(() => undefined);
    }
  });
});
