import { randomUUID } from 'node:crypto';

import { afterAll, describe, expect, it, vi } from 'vitest';

import { createHashingEmbedder, createPgvectorIndex, type Database } from '@rag/core/testing';

import { pgvectorDatabases } from '../../support/databases';
import { chunkRecord, MIXED_PASSAGES } from '../../support/fixtures';

const embedder = createHashingEmbedder();

const corpus = [...MIXED_PASSAGES, 'Semantic search compares embeddings by cosine similarity.'];
const queries = ['tài sản thế chấp', 'tai san', 'indexing chunks', 'cosine embeddings', 'the of'];

// The in-memory copy (postings, chunk texts, embeddings) must answer exactly as the database does.
for (const target of pgvectorDatabases()) {
  describe(`pgvector search from the in-memory copy on ${target.name}`, () => {
    let database: Database;
    const shared = target.open().then((d) => (database = d));
    afterAll(async () => database?.close());

    it('gives the same hits and scores as the database for every mode, through writes and deletes', async () => {
      const db = (await shared).db;
      const memory = createPgvectorIndex({ db, embedder, hnswMinChunks: 1_000_000 });
      const plain = createPgvectorIndex({
        db,
        embedder,
        hnswMinChunks: 1_000_000,
        keywordCacheBytes: 0,
      });
      const user = randomUUID();
      const files = [randomUUID(), randomUUID(), randomUUID()];
      const vecs = await embedder.embed(corpus);
      const rows = corpus.map((t, i) =>
        chunkRecord(user, t, vecs[i]!, { fileId: files[i % 3]!, filename: `f${i % 3}.txt` }),
      );
      await memory.upsert(user, rows);
      const compare = async () => {
        for (const text of queries) {
          for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
            for (const filter of [undefined, { fileIds: [files[1]!] }]) {
              const q = { userId: user, mode, text, limit: 4, alpha: 0.5, filter };
              const [a, b] = await Promise.all([memory.search(q), plain.search(q)]);
              expect(a.map((h) => h.chunk)).toEqual(b.map((h) => h.chunk));
              a.forEach((h, i) => {
                // BM25 sums its terms in another order in SQL, cosine runs in double precision here.
                // (A query of stop words only has a zero vector: NaN cosine on both sides.)
                if (Number.isNaN(b[i]!.score)) expect(h.score).toBeNaN();
                else expect(h.score).toBeCloseTo(b[i]!.score, 6);
                if (h.semanticScore === null || Number.isNaN(h.semanticScore))
                  expect(h.semanticScore).toEqual(b[i]!.semanticScore);
                else expect(h.semanticScore).toBeCloseTo(b[i]!.semanticScore!, 6);
              });
            }
          }
        }
      };
      await compare();
      await memory.keywordCache.settle();
      expect(memory.keywordCache.stats.users).toBe(1);
      const loads = memory.keywordCache.stats.loads;
      // Served from memory: the SQL semantic path (a transaction setting HNSW options) is not taken.
      const transactions = vi.spyOn(db, 'transaction');
      const q = { userId: user, text: 'tài sản', limit: 4, alpha: 0.5 };
      expect(await memory.search({ ...q, mode: 'hybrid' })).toHaveLength(4);
      expect(await memory.search({ ...q, mode: 'semantic' })).toHaveLength(4);
      // No query word occurs in the user's chunks: no keyword hit, the semantic side still in memory.
      expect(await memory.search({ ...q, text: 'zyxwvut quokka', mode: 'hybrid' })).toHaveLength(4);
      expect(transactions).not.toHaveBeenCalled();
      transactions.mockRestore();
      await compare();
      await memory.deleteByFile(user, files[0]!);
      const vec = (await embedder.embed(['thế chấp quyền sử dụng đất']))[0]!;
      await memory.upsert(user, [
        { ...rows[1]!, content: 'thế chấp quyền sử dụng đất', embedding: vec },
      ]);
      await compare();
      // Served from memory all along: no reload after the writes.
      expect(memory.keywordCache.stats.loads).toBe(loads);
      await memory.reset(user);
      await memory.close();
      await plain.close();
    });

    it('keeps keyword search in memory when the embeddings do not fit the budget', async () => {
      const db = (await shared).db;
      const user = randomUUID();
      const vecs = await embedder.embed(corpus);
      // 768 float4 per chunk are ~3 KB: a 32 KB budget holds the postings but not the vectors.
      const small = createPgvectorIndex({
        db,
        embedder,
        hnswMinChunks: 1_000_000,
        keywordCacheBytes: 32 * 1024,
      });
      await small.upsert(
        user,
        corpus.map((t, i) => chunkRecord(user, t, vecs[i]!, { fileId: randomUUID() })),
      );
      const q = { userId: user, mode: 'hybrid' as const, text: 'thế chấp', limit: 3, alpha: 0.5 };
      const first = await small.search(q);
      await small.keywordCache.settle();
      expect(small.keywordCache.stats.users).toBe(1);
      expect(small.keywordCache.stats.bytes).toBeLessThanOrEqual(32 * 1024);
      expect((await small.search(q)).map((h) => h.chunk.id)).toEqual(first.map((h) => h.chunk.id));
      await small.reset(user);
      await small.close();
    });
  });
}
