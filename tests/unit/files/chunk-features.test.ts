import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { chunkFeatures } from '../../../packages/core/src/adapters/workers/chunk-features';
import { unpackPassage } from '../../../packages/core/src/adapters/workers/packed-passage';
import { embeddingWords } from '../../../packages/core/src/domain/files/index-chunks';
import { passageTerms, words } from '../../../packages/core/src/domain/search/tokenizer';
import {
  chunkSegments,
  createHashingEmbedder,
  embeddingText,
  parseDocument,
  type ChunkDraft,
} from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';

/** Vietnamese and English prose, headings, a CJK PDF, a long Vietnamese PDF, a two-column paper, SQL. */
const FILES = [
  'md/vietnamese-provinces-README_vi.md',
  'md/thinking-in-react.md',
  'docx/an_le_so_262018AL.docx',
  'pdf/issue16538.pdf',
  'pdf/an_le_so_432021AL.pdf',
  'pdf/tracemonkey.pdf',
  'sql/postgres-sakila-schema.sql',
];

/**
 * Digests of these files' chunk vectors and BM25 passages as the hashing embedder and tokenizer made
 * them before the ingest worker split each chunk once for both (the tree of 5836a2a). Stored indexes
 * hold such vectors: a change here must come with a new embedder id or TOKENIZER_VERSION.
 */
const CHUNKS = 306;
const VECTORS = 'dad994e7cc6460861f79824d796ce8130288cd76ed0747e0097b06b1deb7d662';
const PASSAGES = 'd1b188f57f7d1c4aa465418af10e6c526d3d9827a3ae4f3b404a78e3e4bcc598';

async function corpusChunks(): Promise<ChunkDraft[]> {
  const chunks: ChunkDraft[] = [];
  for (const file of FILES) {
    const ext = file.slice(file.lastIndexOf('.')) as '.pdf';
    const doc = await parseDocument(corpusPath(file), ext);
    for await (const c of chunkSegments(doc.segments, { size: 1000, overlap: 150 })) chunks.push(c);
  }
  return chunks;
}

const digest = (parts: Iterable<Uint8Array | string>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('the ingest worker’s chunk features', () => {
  it('are bit for bit the vectors and passages of the embedder and tokenizer, one split per chunk', async () => {
    const chunks = await corpusChunks();
    expect(chunks).toHaveLength(CHUNKS);
    expect(chunks.filter((c) => embeddingText(c) !== c.content).length).toBeGreaterThan(50);

    const { passages, flat } = chunkFeatures(chunks, 768);
    const vectors = chunks.map((_, i) => flat!.subarray(i * 768, (i + 1) * 768));
    expect(digest(vectors.map((v) => new Uint8Array(v.slice().buffer)))).toBe(VECTORS);
    expect(digest(passages.map((p) => JSON.stringify(unpackPassage(p))))).toBe(PASSAGES);

    // The embedder port (queries, other callers) gives the same vectors from the text.
    const viaPort = await createHashingEmbedder(768).embed(chunks.map(embeddingText));
    expect(digest(viaPort.map((v) => new Uint8Array(Float32Array.from(v).buffer)))).toBe(VECTORS);
    expect(digest(chunks.map((c) => JSON.stringify(passageTerms(c.content))))).toBe(PASSAGES);
  });

  it('without dimensions: passages only, and nothing for no chunks', () => {
    const chunk = { content: 'Hợp đồng vô hiệu', section: null } as ChunkDraft;
    expect(chunkFeatures([chunk], null)).toEqual({
      passages: chunkFeatures([chunk], 8).passages,
      flat: null,
    });
    expect(chunkFeatures([], 768)).toEqual({ passages: [], flat: null });
  });

  it('splits a heading and its content as the embedded text would be split', () => {
    const cases: [string, string][] = [
      ['ΟΔΟΣ', 'Σ στην αρχή'], // final sigma at the heading's end, capital sigma first in the content
      ['Điều 1', '\u0301 dấu rời ở đầu'], // a combining mark opening the content
      ['第一章 总则', '本法所称'], // CJK: one word per ideograph
      ['Results.', 'The results, shown below…'],
      ['x'.repeat(60), 'a word longer than any indexed one is dropped'],
    ];
    for (const [section, content] of cases) {
      const chunk = { content, section };
      expect(embeddingWords(chunk, words(content))).toEqual(words(embeddingText(chunk)));
    }
    const opening = { content: 'Điều 1. Phạm vi', section: 'Điều 1' };
    expect(embeddingWords(opening, words(opening.content))).toEqual(words(opening.content));
  });
});
