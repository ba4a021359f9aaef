/** Which embedder built a vector index: its vectors are only comparable with that embedder's. */
export type IndexSignature = { embedder: string; dimensions: number };

/** What indexing records next to the vector index: which embedder built it. */
export interface ChunkStore {
  /** The embedder recorded for an index kind (`pgvector`, `qdrant`), if any. */
  readSignature(kind: string): Promise<IndexSignature | null>;
  writeSignature(kind: string, signature: IndexSignature): Promise<void>;
  /** Whether any file is indexed with at least one chunk (an embedder change would orphan them). */
  hasIndexedChunks(): Promise<boolean>;
}
