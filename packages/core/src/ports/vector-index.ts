import type { PassageTerms } from '../domain/search/tokenizer';

export type Embedding = readonly number[] | Float32Array;

/** A chunk as stored in the index, with the metadata citations need. */
export type ChunkRecord = {
  id: string;
  userId: string;
  fileId: string;
  /** The original filename (citations show it; never a server path). */
  filename: string;
  chunkIndex: number;
  content: string;
  /** 1-based page for paged documents, else null. */
  page: number | null;
  pageLabel: string | null;
  /** Nearest heading / section, else null. */
  section: string | null;
  charStart: number;
  charEnd: number;
  /** A Float32Array (a view on the ingest worker's vectors, not copied) or a plain array. */
  embedding: Embedding;
  /** `passageTerms(content)`, when the ingest worker tokenized it already (else the index does). */
  passage?: PassageTerms;
};

export type StoredChunk = Omit<ChunkRecord, 'embedding' | 'passage'>;

/**
 * The job claims a chunk write depends on: the chunks of a file whose job `workerId` no longer holds
 * (its lease expired and another runner took it over) are not stored. The check is part of the write
 * (its transaction, where the index has one), so a runner that lost its claim leaves no chunk behind.
 */
export type WriteClaim = { workerId: string; jobs: { jobId: string; fileId: string }[] };

export type SearchMode = 'semantic' | 'keyword' | 'hybrid';

/** Scope of a search or deletion inside one user's data. Empty lists mean "no restriction". */
export type ChunkFilter = {
  fileIds?: string[];
  pages?: number[];
  filenames?: string[];
};

export type SearchQuery = {
  userId: string;
  mode: SearchMode;
  /** The query text (BM25). */
  text: string;
  /** The query embedding (semantic); required for semantic and hybrid. */
  vector?: number[];
  filter?: ChunkFilter;
  limit: number;
  /** Hybrid weight of the semantic score: alpha·semantic + (1−alpha)·keyword, both normalised to 0..1. */
  alpha: number;
};

export type SearchHit = {
  chunk: StoredChunk;
  /** The score that ordered this hit (fused for hybrid). */
  score: number;
  semanticScore: number | null;
  keywordScore: number | null;
};

/**
 * A Qdrant-style condition tree over `file_id`, `source`, `page` (see CONTRACT "Files"). A category is a
 * property of a file, not of its chunks: the domain resolves `category` conditions to file-id sets first.
 */
export type MatchCondition = {
  key: 'file_id' | 'source' | 'page';
  values: (string | number)[];
};
export type DeleteFilter = {
  must: MatchCondition[];
  should: MatchCondition[];
  mustNot: MatchCondition[];
};

/**
 * Per-user chunk index (vectors + BM25). Every method is scoped by `userId`; an adapter must never
 * return or touch another user's chunks.
 */
export interface VectorIndex {
  /** For the start-up log, e.g. `pgvector+bm25` or `qdrant`. */
  readonly name: string;
  /** Prepares storage (collections, indexes) for the embedder's dimension. */
  init(): Promise<void>;
  /** Fills caches in the background; the server calls it once it listens (start-up stays short). */
  warm?(): void;
  /** Stores chunks; with `claim`, only those of files whose jobs the claim still holds. */
  upsert(userId: string, chunks: ChunkRecord[], claim?: WriteClaim): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** Deletes a file's chunks; returns the exact number deleted. */
  deleteByFile(userId: string, fileId: string): Promise<number>;
  deleteByFilter(userId: string, filter: DeleteFilter): Promise<number>;
  /** Deletes all of the user's chunks; returns the number deleted. */
  reset(userId: string): Promise<number>;
  count(userId: string, filter?: ChunkFilter): Promise<number>;
  /** Returns the distinct file ids that have chunks for the user, or for everyone (for reconciliation). */
  fileIds(userId?: string): Promise<string[]>;
  /** System-level: deletes every chunk of these files whoever owns them (start-up reconciliation only). */
  purgeFiles(fileIds: string[]): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
