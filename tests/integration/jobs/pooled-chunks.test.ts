import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createIngestPool } from '../../../packages/core/src/adapters/workers/ingest-pool';
import { chunkSegments, type ChunkDraft } from '../../../packages/core/src/domain/files/chunker';
import { parseBudget } from '../../../packages/core/src/domain/files/parsers/budget';
import { parseDocument } from '../../../packages/core/src/domain/files/parsers/parse-document';
import { DocumentError } from '../../../packages/core/src/domain/files/parsers/types';
import { passageTerms } from '../../../packages/core/src/domain/search/tokenizer';
import { createHashingEmbedder } from '../../../packages/core/src/adapters/embedding/hashing-embedder';
import { embeddingText, indexChunks } from '../../../packages/core/src/domain/files/index-chunks';
import { parseEnv } from '../../../packages/core/src/env';
import type { Deps } from '../../../packages/core/src/ports/deps';
import type { ChunkRecord } from '../../../packages/core/src/ports/vector-index';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
const OPTS = { size: 800, overlap: 100 };
const pool = createIngestPool({ size: 1, memoryMb: 512, embeds: true });
afterAll(() => pool.close());

/** The session's worker-side chunks (a pooled session always has them), batch by batch. */
async function* chunksOf(
  session: Awaited<ReturnType<typeof pool.open>>,
): AsyncIterable<ChunkDraft> {
  if (!session.chunks) throw new Error('a pooled session chunks in its worker');
  for await (const batch of session.chunks(OPTS)) yield* batch;
}

async function collect(chunks: AsyncIterable<ChunkDraft>): Promise<ChunkDraft[]> {
  const out: ChunkDraft[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

describe('chunking in the ingestion worker (issue 10 item 4)', () => {
  it.each([
    ['md/docling-wiki.md', '.md'],
    ['pdf/an_le_so_432021AL.pdf', '.pdf'],
  ] as const)('cuts %s into the same chunks as the inline chunker', async (file, ext) => {
    const path = join(CORPUS, file);
    const budget = parseBudget(50);
    const session = await pool.open(path, ext, budget);
    let pooled: ChunkDraft[];
    try {
      pooled = await collect(chunksOf(session));
    } finally {
      session.close();
    }
    const inline = await parseDocument(path, ext, parseBudget(50));
    expect(pooled.length).toBeGreaterThan(1);
    expect(pooled.map(({ passage: _, ...c }) => c)).toEqual(
      await collect(chunkSegments(inline.segments, OPTS)),
    );
    // Each chunk's BM25 terms come with it: the index writes do not tokenize it on the event loop.
    for (const c of pooled) expect(c.passage).toEqual(passageTerms(c.content));
  });

  it("hands the worker's terms of a streamed chunk to the index writes", async () => {
    const drafts: ChunkDraft[] = ['Alpha beta gamma.', 'Delta epsilon.'].map((content, index) => ({
      index,
      content,
      page: null,
      pageLabel: null,
      section: null,
      charStart: 0,
      charEnd: content.length,
      passage: passageTerms(content),
    }));
    async function* chunks() {
      yield drafts;
    }
    const written: ChunkRecord[] = [];
    const embedder = createHashingEmbedder(64);
    await indexChunks(
      indexDeps(embedder, (records) => written.push(...records)),
      {
        userId: 'u',
        fileId: 'f',
        filename: 'big.txt',
        category: null,
        doc: { pageCount: null, segments: [], chunks } as never,
        onProgress: () => undefined,
      },
    );
    expect(written.map((r) => r.passage)).toEqual(drafts.map((d) => d.passage));
  });

  it("writes a streamed document's chunks batch by batch as the worker sends them, with the worker's vectors", async () => {
    const session = await pool.open(join(CORPUS, 'txt/rfc2616.txt'), '.txt', parseBudget(50));
    const hashing = createHashingEmbedder(768);
    // The worker computes these vectors: asked here, the document's embedding would be a second hop.
    const embedder = {
      ...hashing,
      embed: (texts: string[], o?: { kind?: string }) =>
        o?.kind === 'document'
          ? Promise.reject(new Error('embedded on the main thread'))
          : hashing.embed(texts, o as never),
    } as typeof hashing;
    const events: string[] = [];
    const batches: number[] = [];
    const written: ChunkRecord[][] = [];
    async function* sources(): AsyncGenerator<ChunkDraft[]> {
      if (!session.chunks) throw new Error('a pooled session chunks in its worker');
      for await (const batch of session.chunks(OPTS, embedder)) {
        events.push('batch');
        batches.push(batch.length);
        yield batch;
      }
    }
    try {
      await indexChunks(
        indexDeps(embedder, (records) => {
          events.push('write');
          written.push(records);
        }),
        {
          userId: 'u',
          fileId: 'f',
          filename: 'rfc2616.txt',
          category: null,
          doc: { pageCount: null, segments: [], chunks: () => sources() } as never,
          onProgress: () => undefined,
        },
      );
    } finally {
      session.close();
    }
    // Each batch is written as it comes, before the next one is read (not once the document ends).
    expect(batches.length).toBeGreaterThan(2);
    expect(events).toEqual(batches.flatMap(() => ['batch', 'write']));
    expect(written.map((w) => w.length)).toEqual(batches);
    const records = written.flat();
    const expected = await hashing.embed(records.slice(0, 5).map((r) => r.content));
    for (const [i, v] of expected.entries())
      expect(Array.from(records[i]?.embedding ?? [])).toEqual(Array.from(Float32Array.from(v)));
  });

  it('stops the worker early when the reader stops', async () => {
    const session = await pool.open(join(CORPUS, 'txt/rfc2616.txt'), '.txt', parseBudget(50));
    try {
      for await (const c of chunksOf(session)) {
        expect(c.index).toBe(0);
        break;
      }
    } finally {
      session.close();
    }
    // The pool's one worker is free again: the next document is read to its end.
    const next = await pool.open(join(CORPUS, 'md/docling-wiki.md'), '.md', parseBudget(50));
    try {
      expect((await collect(chunksOf(next))).length).toBeGreaterThan(1);
    } finally {
      next.close();
    }
  });

  it('reads several small files in one task: the inline chunks, vectors and BM25 terms, refusals per file', async () => {
    const files = [
      ['md/docling-wiki.md', '.md'],
      ['sql/vn-provinces-db_table_init.sql', '.sql'],
      ['md/javascript-info-variables.md', '.md'],
    ] as const;
    const embedder = createHashingEmbedder(768);
    const docs = await pool.readWholeMany(
      [
        ...files.map(([file, ext]) => ({ path: join(CORPUS, file), ext, budget: parseBudget(50) })),
        // A PDF named .txt is refused as binary: that one document fails, the others are read.
        {
          path: join(CORPUS, 'pdf/an_le_so_432021AL.pdf'),
          ext: '.txt' as const,
          budget: parseBudget(50),
        },
      ],
      { chunks: OPTS, embedder },
    );
    expect(docs.length).toBe(4);
    expect(docs[3]).toBeInstanceOf(DocumentError);
    for (const [i, [file, ext]] of files.entries()) {
      const doc = docs[i];
      if (!doc || doc instanceof DocumentError) throw new Error(file);
      const inline = await parseDocument(join(CORPUS, file), ext, parseBudget(50));
      const chunks = await collect(chunkSegments(inline.segments, OPTS));
      expect(doc.chunks).toEqual(chunks);
      const vectors = await embedder.embed(chunks.map(embeddingText));
      // The worker's float32 vectors are the embedder's, rounded to float32.
      expect(doc.vectors?.map((v) => Array.from(v))).toEqual(
        vectors.map((v) => Array.from(Float32Array.from(v))),
      );
      // The terms the writer would have tokenized itself.
      expect(doc.passages).toEqual(chunks.map((c) => passageTerms(c.content)));
    }
  });
});

/** What indexChunks needs, with the index writes handed to `write` and no file row. */
function indexDeps(
  embedder: Deps['embedder'],
  write: (records: ChunkRecord[]) => void,
): Pick<Deps, 'env' | 'embedder' | 'vectorIndex'> {
  return {
    env: parseEnv({ JWT_SECRET: 'x'.repeat(40) }),
    embedder,
    vectorIndex: {
      upsert: (_userId: string, records: ChunkRecord[]) => {
        write(records);
        return Promise.resolve();
      },
    } as Pick<Deps['vectorIndex'], 'upsert'> as Deps['vectorIndex'],
  };
}
