// What the ingest worker computes per chunk besides cutting it: its BM25 terms and, when asked, its
// hashing vector, from one split of its text into words (both used to split the same content).
import { hashingVectorsOfWords } from '../embedding/hashing-embedder';
import type { ChunkDraft } from '../../domain/files/chunker';
import { embeddingWords } from '../../domain/files/index-chunks';
import { passageTermsOf, words } from '../../domain/search/tokenizer';
import { packPassage, type PackedPassage } from './packed-passage';

/** The chunks' packed BM25 passages, and the words their hashing vectors are made from. */
export function chunkWords(chunks: readonly ChunkDraft[]): {
  passages: PackedPassage[];
  embedded: (readonly string[])[];
} {
  const passages: PackedPassage[] = [];
  const embedded: (readonly string[])[] = [];
  for (const c of chunks) {
    const content = words(c.content);
    passages.push(packPassage(passageTermsOf(content)));
    embedded.push(embeddingWords(c, content));
  }
  return { passages, embedded };
}

/** {@link chunkWords}, with the vectors (`dimensions` floats each, one flat array) unless null. */
export function chunkFeatures(
  chunks: readonly ChunkDraft[],
  dimensions: number | null,
): { passages: PackedPassage[]; flat: Float32Array | null } {
  const { passages, embedded } = chunkWords(chunks);
  const flat = dimensions && chunks.length ? hashingVectorsOfWords(embedded, dimensions) : null;
  return { passages, flat };
}
