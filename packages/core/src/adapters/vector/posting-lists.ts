import type { PassageTerms } from '../../domain/search/tokenizer';
import type { StoredChunk } from '../../ports/vector-index';

/**
 * One indexed chunk as the postings need it: identity, file, BM25 length and term frequencies, and the
 * stored chunk itself when kept in memory (hits are then returned without reading the table).
 */
export type PostingDoc = {
  id: string;
  fileId: string;
  tokenCount: number;
  tf: Iterable<[string, number]>;
  chunk?: StoredChunk;
  /** The content's `passageTerms`, when the writer tokenized it already (positions reuse them). */
  passage?: PassageTerms;
  /** The embedding's stored float4 components (`storedComponents`), when vectors are kept in memory. */
  vector?: ArrayLike<number>;
};

/** Keeps the users' embeddings next to their postings, up to this many chunks (exact cosine scans). */
export type VectorOptions = { dim: number; maxChunks: number };

/** The BM25 statistics of a query's terms over the live chunks. */
export type PostingStats = { docCount: number; avgLength: number; df: Map<string, number> };

/** A query term with its BM25 weight (idf × query frequency), from the database's statistics. */
export type WeightedTerm = { term: string; weight: number };

/** BM25 length normalisation as a line: k1·(1 − b + b·len/avg) = base + slope·len. */
export type Bm25Shape = { k1: number; base: number; slope: number };

/** Growable postings list of one term: the chunk slots holding it and its frequency in each. */
export class TermPostings {
  slots = new Int32Array(4);
  tfs = new Uint16Array(4);
  n = 0;

  push(slot: number, tf: number) {
    if (this.n === this.slots.length) {
      const slots = new Int32Array(this.n * 2);
      slots.set(this.slots);
      this.slots = slots;
      const tfs = new Uint16Array(this.n * 2);
      tfs.set(this.tfs);
      this.tfs = tfs;
    }
    this.slots[this.n] = slot;
    this.tfs[this.n++] = Math.min(tf, 0xffff);
  }
}

export function grow<T extends Int32Array | Uint8Array>(
  a: T,
  need: number,
  make: (n: number) => T,
): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Keyword scores of one query: exact BM25 for every chunk holding a query term. */
export type KeywordScores = {
  /** The best `limit` chunks, best first; ties by chunk id, as the SQL path orders them. */
  top(limit: number): Map<string, number>;
  /** Exact scores of given chunks (0 when a chunk holds no query term). */
  of(ids: string[]): Map<string, number>;
};

/** Rough heap bytes of a kept chunk (its strings, plus the object). */
export function chunkFootprint(c: StoredChunk): number {
  return 120 + c.content.length + c.filename.length + (c.section?.length ?? 0);
}

/** The chosen slots as id → score, best first. */
export function hitsOf(
  slots: number[],
  ids: readonly string[],
  scoreOf: (slot: number) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of slots) {
    const id = ids[s];
    if (id !== undefined) out.set(id, scoreOf(s));
  }
  return out;
}

/** Marks the file indexes of `fileIds` (null = every file allowed). */
export function allowedFiles(
  fileIndex: ReadonlyMap<string, number>,
  fileIds?: string[],
): Uint8Array | null {
  if (!fileIds?.length) return null;
  const allowed = new Uint8Array(fileIndex.size);
  for (const f of fileIds) {
    const i = fileIndex.get(f);
    if (i !== undefined) allowed[i] = 1;
  }
  return allowed;
}
