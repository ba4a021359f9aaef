import { describe, expect, it } from 'vitest';

import { bm25Idf, bm25TermScore, DEFAULT_BM25, documentTerms, queryTerms } from '@rag/core/testing';

import { createBm25Cache } from '../../../packages/core/src/adapters/vector/bm25-cache';
import { UserPostings } from '../../../packages/core/src/adapters/vector/bm25-postings';
import type { PostingDoc } from '../../../packages/core/src/adapters/vector/posting-lists';
import { parseTsvector } from '../../../packages/core/src/adapters/vector/postings-load';

const texts = [
  'Hợp đồng thế chấp tài sản phải được lập thành văn bản.',
  'The indexing pipeline indexes documents and indexed chunks.',
  'Quyền dân sự được công nhận, tôn trọng và bảo vệ.',
  'Documents are split into chunks before indexing.',
  'Tài sản thế chấp do bên thế chấp giữ.',
  'A short note about nothing in particular.',
];
const docs: PostingDoc[] = texts.map((t, i) => {
  const { tf, length } = documentTerms(t);
  return {
    id: `00000000-0000-4000-8000-00000000000${i}`,
    fileId: `f${i % 2}`,
    tokenCount: length,
    tf,
  };
});

/** BM25 of every doc by a direct scan: what the postings must reproduce. */
function reference(query: string, live: PostingDoc[]) {
  const n = live.length;
  const df = new Map<string, number>();
  let total = 0;
  for (const d of live) {
    total += d.tokenCount;
    for (const [t] of d.tf) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const terms = [...queryTerms(query)].filter(([t]) => df.has(t));
  const weighted = terms.map(([term, qtf]) => ({ term, weight: bm25Idf(n, df.get(term)!) * qtf }));
  const scores = new Map<string, number>();
  for (const d of live) {
    const tf = new Map(d.tf);
    let s = 0;
    for (const { term, weight } of weighted) {
      const f = tf.get(term);
      if (f) s += bm25TermScore(weight, f, d.tokenCount, total / n, DEFAULT_BM25);
    }
    if (s > 0) scores.set(d.id, s);
  }
  const { k1, b } = DEFAULT_BM25;
  const shape = { k1, base: k1 * (1 - b), slope: (k1 * b) / (total / n) };
  return { weighted, shape, scores };
}

describe('in-memory BM25 postings', () => {
  it('gives the statistics of the live chunks (count, average length, df) through removals', () => {
    const postings = new UserPostings('1');
    const chunk = (d: PostingDoc, i: number) => ({
      id: d.id,
      userId: 'u',
      fileId: d.fileId,
      filename: 'f.txt',
      chunkIndex: i,
      content: texts[i]!,
      page: null,
      pageLabel: null,
      section: null,
      charStart: 0,
      charEnd: texts[i]!.length,
      category: null,
    });
    postings.add(docs.map((d, i) => ({ ...d, chunk: chunk(d, i) })));
    const check = (live: PostingDoc[]) => {
      const terms = ['tai', 'san', 'index', 'hợp'];
      const got = postings.stats(terms);
      const total = live.reduce((n, d) => n + d.tokenCount, 0);
      expect(got.docCount).toBe(live.length);
      expect(got.avgLength).toBeCloseTo(total / live.length, 9);
      for (const term of terms) {
        const df = live.filter((d) => new Map(d.tf).has(term)).length;
        expect(got.df.get(term) ?? 0).toBe(df);
      }
    };
    check(docs);
    expect(postings.chunk(docs[4]!.id)?.content).toBe(texts[4]);
    postings.remove([docs[0]!.id, docs[4]!.id]);
    check(docs.filter((_, i) => i !== 0 && i !== 4));
    expect(postings.chunk(docs[4]!.id)).toBeUndefined();
    expect(postings.chunk(docs[1]!.id)?.content).toBe(texts[1]);
  });

  it('scores every chunk exactly as a direct BM25 scan, best first with ties by id', () => {
    const postings = new UserPostings('1');
    postings.add(docs);
    for (const query of [
      'tài sản thế chấp',
      'indexing documents',
      'tai san',
      'nothing here at all',
    ]) {
      const { weighted, shape, scores } = reference(query, docs);
      const got = postings.score(weighted, shape).top(10);
      const want = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      expect([...got.keys()]).toEqual(want.map(([id]) => id));
      for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 9);
    }
  });

  it('keeps only the best `limit`, filters by file and scores requested chunks exactly', () => {
    const postings = new UserPostings('1');
    postings.add(docs);
    const { weighted, shape, scores } = reference('thế chấp tài sản documents', docs);
    const result = postings.score(weighted, shape);
    const best = [...scores].sort((a, b) => b[1] - a[1])[0]!;
    expect([...result.top(1).keys()]).toEqual([best[0]]);
    const inFile1 = postings.score(weighted, shape, ['f1']).top(10);
    expect([...inFile1.keys()].every((id) => docs.find((d) => d.id === id)!.fileId === 'f1')).toBe(
      true,
    );
    expect(inFile1.size).toBeGreaterThan(0);
    const asked = [docs[0]!.id, docs[5]!.id, 'unknown'];
    const of = result.of(asked);
    expect([...of.keys()]).toEqual([docs[0]!.id]);
    expect(of.get(docs[0]!.id)).toBeCloseTo(scores.get(docs[0]!.id)!, 9);
  });

  it('scores a file-restricted semantic query exactly as the whole scan, for that file only', () => {
    // 40 chunks over 5 files, interleaved so the restricted file's slots are not consecutive.
    const dim = 16;
    const vectorOf = (i: number) => Array.from({ length: dim }, (_, j) => Math.sin(i * 7 + j * 3));
    const postings = new UserPostings('1', { dim, maxChunks: 100 });
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...docs[i % docs.length]!,
      id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
      fileId: `f${i % 5}`,
      vector: vectorOf(i),
    }));
    postings.add(many);
    postings.remove([many[7]!.id]); // a dead slot of the restricted file
    const query = vectorOf(100);
    const all = postings.semantic(query)!.top(100);
    const inFile2 = postings.semantic(query, ['f2'])!.top(100);
    const want = [...all].filter(([id]) => many.find((d) => d.id === id)!.fileId === 'f2');
    expect(want).toHaveLength(7);
    expect([...inFile2.keys()]).toEqual(want.map(([id]) => id));
    for (const [id, s] of want) expect(inFile2.get(id)).toBeCloseTo(s, 12);
  });

  it('forgets removed chunks and replaces a chunk re-added under the same id', () => {
    const postings = new UserPostings('1');
    postings.add(docs);
    postings.remove([docs[0]!.id, docs[4]!.id]);
    const live = docs.filter((_, i) => i !== 0 && i !== 4);
    const { weighted, shape } = reference('tài sản thế chấp', docs);
    expect(postings.score(weighted, shape).top(10).size).toBe(0);
    postings.add([{ ...docs[1]!, tf: documentTerms('tài sản').tf }]);
    expect(postings.size).toBe(live.length);
    expect([...postings.score(weighted, shape).top(10).keys()]).toEqual([docs[1]!.id]);
  });

  it('reads term frequencies from a tsvector text', () => {
    expect(parseTsvector(`'dân':3 'hợp':1,2 'it''s':4 'x'`)).toEqual([
      ['dân', 1],
      ['hợp', 2],
      ["it's", 1],
      ['x', 1],
    ]);
  });
});

describe('postings cache', () => {
  const loader = (version: string) => {
    const calls: string[] = [];
    return {
      calls,
      load: (userId: string) => {
        calls.push(userId);
        return Promise.resolve({ version, docs });
      },
    };
  };

  /** A search: the copy if it is at `version`, else null after letting a background load finish. */
  async function lookup(cache: ReturnType<typeof createBm25Cache>, user: string, version: string) {
    const hit = cache.get(user, version);
    await cache.settle();
    return hit;
  }

  it('never waits: a miss searches in SQL while the copy loads, once per version', async () => {
    const src = loader('5');
    const cache = createBm25Cache({ maxBytes: 1e9, load: src.load });
    expect(cache.get('u', '5')).toBeNull();
    expect(cache.get('u', '5')).toBeNull();
    await cache.settle();
    expect(src.calls).toEqual(['u']);
    const a = cache.get('u', '5');
    expect(a?.size).toBe(docs.length);
    // Local writes move the copy in place.
    cache.applied('u', { before: '5', after: '7', removed: [docs[0]!.id] });
    expect(cache.get('u', '7')).toBe(a);
    expect(a!.size).toBe(docs.length - 1);
    expect(src.calls).toEqual(['u']);
    // Another process wrote version 9: the copy at 7 is stale → SQL, and a reload starts.
    expect(await lookup(cache, 'u', '9')).toBeNull();
    expect(src.calls).toEqual(['u', 'u']);
  });

  it('applies local writes committed while the copy was loading', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = createBm25Cache({
      maxBytes: 1e9,
      load: async () => {
        await gate;
        return { version: '5', docs: docs.slice(0, 4) };
      },
    });
    expect(cache.get('u', '5')).toBeNull();
    // Version 5 is already in the snapshot; 6 and 7 were committed after it.
    cache.applied('u', { before: '4', after: '5', added: [docs[3]!] });
    cache.applied('u', { before: '5', after: '6', added: [docs[4]!] });
    cache.applied('u', { before: '6', after: '7', removed: [docs[0]!.id] });
    release();
    await cache.settle();
    const copy = cache.get('u', '7');
    expect(copy?.size).toBe(4);
    // A gap (another process wrote in between) discards the load instead of keeping a wrong copy.
    const gapped = createBm25Cache({
      maxBytes: 1e9,
      load: () => Promise.resolve({ version: '5', docs }),
    });
    gapped.get('u', '5');
    gapped.applied('u', { before: '6', after: '7', added: [] });
    await gapped.settle();
    expect(gapped.stats.users).toBe(0);
  });

  it('answers null (search in SQL) when loading fails, and tries again next time', async () => {
    let fail = true;
    const cache = createBm25Cache({
      maxBytes: 1e9,
      load: () =>
        fail ? Promise.reject(new Error('db down')) : Promise.resolve({ version: '3', docs }),
    });
    expect(await lookup(cache, 'u', '3')).toBeNull();
    fail = false;
    expect(await lookup(cache, 'u', '3')).toBeNull();
    expect(cache.get('u', '3')?.size).toBe(docs.length);
  });

  it('drops a copy when a write did not start from its version', async () => {
    const cache = createBm25Cache({ maxBytes: 1e9, load: loader('5').load });
    await lookup(cache, 'u', '5');
    expect(cache.stats.users).toBe(1);
    cache.applied('u', { before: '6', after: '8', added: [] });
    expect(cache.stats.users).toBe(0);
  });

  it('stays within its memory budget, evicting the least recently used user', async () => {
    const one = new UserPostings('x');
    one.add(docs);
    const cache = createBm25Cache({ maxBytes: one.bytes * 2.5, load: loader('1').load });
    await lookup(cache, 'a', '1');
    await lookup(cache, 'b', '1');
    expect(cache.get('a', '1')).not.toBeNull();
    await lookup(cache, 'c', '1');
    expect(cache.stats.users).toBe(2);
    expect(cache.get('b', '1')).toBeNull();
    expect(cache.stats.bytes).toBeLessThanOrEqual(one.bytes * 2.5);
    const tiny = createBm25Cache({ maxBytes: 10, load: loader('1').load });
    await lookup(tiny, 'a', '1');
    expect(tiny.get('a', '1')).toBeNull();
    const off = createBm25Cache({ maxBytes: 0, load: loader('1').load });
    await lookup(off, 'a', '1');
    expect(off.get('a', '1')).toBeNull();
  });

  it('warms users in order until the budget is mostly used or the caller aborts', async () => {
    const one = new UserPostings('x');
    one.add(docs);
    const src = loader('1');
    const cache = createBm25Cache({ maxBytes: one.bytes * 2.1, load: src.load });
    await cache.warm(['a', 'b', 'c', 'd']);
    expect(src.calls).toEqual(['a', 'b']);
    const stopped = new AbortController();
    stopped.abort();
    const other = loader('1');
    await createBm25Cache({ maxBytes: 1e9, load: other.load }).warm(['a'], stopped.signal);
    expect(other.calls).toEqual([]);
  });
});
