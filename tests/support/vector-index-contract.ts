import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ChunkRecord, Embedder, SearchHit, VectorIndex } from '@rag/core/testing';

import { bm25StatisticsContract } from './bm25-statistics-contract';

export type ContractSubject = { index: VectorIndex; embedder: Embedder; close(): Promise<void> };

type Doc = {
  fileId: string;
  filename: string;
  page: number | null;
  section: string | null;
  text: string;
};

/**
 * The one behavioural contract every VectorIndex adapter must pass (pgvector + BM25, Qdrant): per-user
 * isolation, BM25 keyword ranking with Vietnamese diacritic folding and English stemming, cosine ranking,
 * hybrid fusion bounds, filters, exact deletion counts, metadata round-trips and per-user BM25
 * statistics.
 */
export function vectorIndexContract(name: string, open: () => Promise<ContractSubject>) {
  describe(`VectorIndex contract: ${name}`, () => {
    let subject: ContractSubject;
    let index: VectorIndex;
    const alice = randomUUID();
    const bob = randomUUID();
    const legal = randomUUID();
    const guide = randomUUID();
    const poem = randomUUID();
    const bobFile = randomUUID();

    const aliceDocs: Doc[] = [
      {
        fileId: legal,
        filename: 'bo-luat.docx',
        page: null,
        section: 'Điều 1. Phạm vi điều chỉnh',
        text: 'Bộ luật này quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử của cá nhân, pháp nhân.',
      },
      {
        fileId: legal,
        filename: 'bo-luat.docx',
        page: null,
        section: 'Điều 2. Công nhận quyền dân sự',
        text: 'Quyền dân sự được công nhận, tôn trọng, bảo vệ và bảo đảm theo Hiến pháp và pháp luật.',
      },
      {
        fileId: legal,
        filename: 'bo-luat.docx',
        page: null,
        section: 'Điều 3. Hợp đồng thế chấp',
        text: 'Hợp đồng thế chấp tài sản phải được lập thành văn bản và có công chứng.',
      },
      {
        fileId: guide,
        filename: 'guide.pdf',
        page: 1,
        section: 'Indexes',
        text: 'Indexing databases with B-tree indexes makes lookups fast; an index is rebuilt after bulk loads.',
      },
      {
        fileId: guide,
        filename: 'guide.pdf',
        page: 2,
        section: 'Vectors',
        text: 'Vector search compares embeddings by cosine similarity using an HNSW graph.',
      },
      {
        fileId: guide,
        filename: 'guide.pdf',
        page: 3,
        section: 'Ranking',
        text: 'BM25 ranks documents by term frequency, inverse document frequency and document length.',
      },
      {
        fileId: poem,
        filename: 'kieu.txt',
        page: null,
        section: null,
        text: 'Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau.',
      },
    ];
    const bobDocs: Doc[] = [
      {
        fileId: bobFile,
        filename: 'bob.md',
        page: 1,
        section: 'Secret',
        text: 'Bob secret notes about databases, indexes, vectors and hợp đồng thế chấp.',
      },
    ];
    const ids = new Map<string, Doc>();

    async function records(userId: string, docs: Doc[]): Promise<ChunkRecord[]> {
      const vectors = await subject.embedder.embed(docs.map((d) => d.text));
      return docs.map((d, i) => {
        const id = randomUUID();
        ids.set(id, d);
        return {
          id,
          userId,
          fileId: d.fileId,
          filename: d.filename,
          chunkIndex: i,
          content: d.text,
          page: d.page,
          pageLabel: d.page === null ? null : `p-${d.page}`,
          section: d.section,
          charStart: i * 100,
          charEnd: i * 100 + d.text.length,
          embedding: vectors[i]!,
        };
      });
    }

    const search = async (
      userId: string,
      mode: 'semantic' | 'keyword' | 'hybrid',
      text: string,
      extra: {
        alpha?: number;
        limit?: number;
        filter?: Parameters<VectorIndex['search']>[0]['filter'];
      } = {},
    ) => {
      const [vector] = await subject.embedder.embed([text], { kind: 'query' });
      return index.search({
        userId,
        mode,
        text,
        vector,
        alpha: extra.alpha ?? 0.7,
        limit: extra.limit ?? 10,
        filter: extra.filter,
      });
    };
    const texts = (hits: SearchHit[]) => hits.map((h) => h.chunk.content);

    beforeAll(async () => {
      subject = await open();
      index = subject.index;
      await index.upsert(alice, await records(alice, aliceDocs));
      await index.upsert(bob, await records(bob, bobDocs));
    });
    afterAll(async () => {
      await index?.reset(alice);
      await index?.reset(bob);
      await subject?.close();
    });

    it('counts each user separately and lists their file ids', async () => {
      expect(await index.count(alice)).toBe(aliceDocs.length);
      expect(await index.count(bob)).toBe(1);
      expect((await index.fileIds(alice)).sort()).toEqual([legal, guide, poem].sort());
      expect(await index.fileIds(bob)).toEqual([bobFile]);
      expect(await index.count(alice, { fileIds: [guide], pages: [2, 3] })).toBe(2);
    });

    it('keyword search ranks by BM25, folds diacritics and stems English', async () => {
      const accented = await search(alice, 'keyword', 'hợp đồng thế chấp');
      expect(accented[0]!.chunk.content).toMatch(/^Hợp đồng thế chấp/);
      const folded = await search(alice, 'keyword', 'hop dong the chap');
      expect(folded[0]!.chunk.content).toMatch(/^Hợp đồng thế chấp/);
      const stemmed = await search(alice, 'keyword', 'indexed database');
      expect(stemmed[0]!.chunk.content).toMatch(/^Indexing databases/);
      for (const hits of [accented, folded, stemmed]) {
        expect(
          hits.every(
            (h) => h.keywordScore !== null && h.keywordScore > 0 && h.semanticScore === null,
          ),
        ).toBe(true);
        expect(hits.map((h) => h.score)).toEqual(
          [...hits.map((h) => h.score)].sort((a, b) => b - a),
        );
      }
      expect(await search(alice, 'keyword', 'zyxwvut qqqq')).toEqual([]);
    });

    it('semantic search ranks by cosine similarity', async () => {
      const hits = await search(
        alice,
        'semantic',
        'cosine similarity of embeddings in an HNSW graph',
      );
      expect(hits[0]!.chunk.content).toMatch(/^Vector search/);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      expect(hits.every((h) => h.semanticScore === h.score && h.keywordScore === null)).toBe(true);
      expect(hits.length).toBe(aliceDocs.length);
    });

    it('hybrid fuses normalised scores: alpha 1 follows semantic, alpha 0 follows keyword', async () => {
      const q = 'BM25 term frequency ranking';
      const semantic = await search(alice, 'semantic', q, { limit: 3 });
      const keyword = await search(alice, 'keyword', q, { limit: 3 });
      const pureSem = await search(alice, 'hybrid', q, { alpha: 1, limit: 3 });
      const pureKw = await search(alice, 'hybrid', q, { alpha: 0, limit: 1 });
      expect(texts(pureSem)).toEqual(texts(semantic));
      expect(texts(pureKw)).toEqual(texts(keyword).slice(0, 1));
      const mixed = await search(alice, 'hybrid', q, { alpha: 0.5 });
      expect(mixed[0]!.chunk.content).toMatch(/^BM25 ranks/);
      expect(
        mixed.every(
          (h) =>
            h.score >= 0 && h.score <= 1 && h.semanticScore !== null && h.keywordScore !== null,
        ),
      ).toBe(true);
    });

    it('never returns another user’s chunks, in any mode', async () => {
      for (const mode of ['semantic', 'keyword', 'hybrid'] as const) {
        const bobHits = await search(bob, mode, 'hợp đồng thế chấp databases indexes vectors');
        expect(bobHits.length).toBeGreaterThan(0);
        expect(bobHits.every((h) => h.chunk.userId === bob && h.chunk.fileId === bobFile)).toBe(
          true,
        );
        const aliceHits = await search(alice, mode, 'Bob secret notes');
        expect(aliceHits.every((h) => h.chunk.userId === alice)).toBe(true);
      }
      expect(await index.count(bob, { fileIds: [legal] })).toBe(0);
    });

    // Categories are a file property: the domain resolves them to file ids before the index sees them.
    it('filters by file, page and filename', async () => {
      const byFile = await search(alice, 'hybrid', 'index vector ranking quyền', {
        filter: { fileIds: [guide] },
      });
      expect(new Set(byFile.map((h) => h.chunk.fileId))).toEqual(new Set([guide]));
      const byFiles = await search(alice, 'semantic', 'pháp luật', {
        filter: { fileIds: [legal] },
      });
      expect(byFiles.every((h) => h.chunk.fileId === legal)).toBe(true);
      expect(byFiles.length).toBe(3);
      const byPage = await search(alice, 'keyword', 'index vector BM25', {
        filter: { fileIds: [guide], pages: [2] },
      });
      expect(byPage.map((h) => h.chunk.page)).toEqual([2]);
      const byName = await search(alice, 'semantic', 'anything', {
        filter: { filenames: ['kieu.txt'] },
      });
      expect(byName.map((h) => h.chunk.filename)).toEqual(['kieu.txt']);
    });

    it('returns the metadata a citation needs', async () => {
      const [hit] = await search(alice, 'keyword', 'HNSW graph cosine', { limit: 1 });
      const doc = ids.get(hit!.chunk.id)!;
      expect(hit!.chunk).toMatchObject({
        userId: alice,
        fileId: guide,
        filename: 'guide.pdf',
        page: 2,
        pageLabel: 'p-2',
        section: 'Vectors',
        content: doc.text,
      });
      expect(hit!.chunk.charEnd - hit!.chunk.charStart).toBe(doc.text.length);
    });

    it('deletes by filter with exact counts, only inside the caller’s data', async () => {
      expect(
        await index.deleteByFilter(bob, {
          must: [{ key: 'file_id', values: [legal] }],
          should: [],
          mustNot: [],
        }),
      ).toBe(0);
      const n = await index.deleteByFilter(alice, {
        must: [{ key: 'file_id', values: [guide] }],
        should: [
          { key: 'page', values: [1] },
          { key: 'page', values: ['3'] },
        ],
        mustNot: [],
      });
      expect(n).toBe(2);
      expect(await index.count(alice, { fileIds: [guide] })).toBe(1);
      const kept = await index.deleteByFilter(alice, {
        must: [{ key: 'source', values: ['bo-luat.docx'] }],
        should: [],
        mustNot: [{ key: 'file_id', values: [legal] }],
      });
      expect(kept).toBe(0);
      expect(
        await index.deleteByFilter(alice, {
          must: [],
          should: [],
          mustNot: [{ key: 'file_id', values: [legal, guide] }],
        }),
      ).toBe(1);
      expect(await index.count(alice)).toBe(4);
    });

    it('deletes by file with the exact count and resets one user only', async () => {
      expect(await index.deleteByFile(bob, legal)).toBe(0);
      expect(await index.deleteByFile(alice, legal)).toBe(3);
      expect(await index.deleteByFile(alice, legal)).toBe(0);
      expect(await index.count(alice)).toBe(1);
      expect(await index.reset(alice)).toBe(1);
      expect(await index.count(alice)).toBe(0);
      expect(await index.count(bob)).toBe(1);
      expect(await search(alice, 'hybrid', 'databases')).toEqual([]);
    });

    bm25StatisticsContract(() => ({ index, embedder: subject.embedder }));

    it('purges files system-wide (reconciliation)', async () => {
      expect(await index.purgeFiles([bobFile])).toBe(1);
      expect(await index.count(bob)).toBe(0);
      expect(await index.purgeFiles([])).toBe(0);
    });
  });
}
