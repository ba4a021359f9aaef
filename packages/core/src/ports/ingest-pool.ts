import type { ChunkDraft, ChunkOptions } from '../domain/files/chunker';
import type { ParseBudget } from '../domain/files/parsers/budget';
import type { SupportedExtension } from '../domain/files/parsers/parse-document';
import type { DocumentError, ParsedDocument } from '../domain/files/parsers/types';
import type { PassageTerms } from '../domain/search/tokenizer';
import type { Embedder } from './embedder';

/** One document being ingested: its segments, and the embedder its passages go through. */
export type IngestSession = ParsedDocument & {
  /** `embedder` itself, or the same vectors computed in the session's worker (hashing). */
  documentEmbedder(embedder: Embedder): Embedder;
  /**
   * The chunks, cut where the document is parsed (a worker), in the batches they come in (each can be
   * written while the next is parsed); each with its `vector` when the worker computes `embedder`'s
   * (hashing). Absent: chunk `segments` here.
   */
  chunks?(opts: ChunkOptions, embedder?: Embedder): AsyncIterable<ChunkDraft[]>;
  /** Releases the worker (always call it, also after a failure). */
  close(): void;
};

/** A small document read whole: its chunks and, when the pool computed them, their vectors. */
export type WholeDocument = {
  pageCount: number | null;
  chunks: ChunkDraft[];
  /** One per chunk, from `embedder` (the hashing one, in the worker); null: the caller embeds. */
  vectors: Float32Array[] | null;
  /** Each chunk's BM25 terms when the pool tokenized them (the writer then need not). */
  passages?: PassageTerms[];
};

/** Where ingestion's CPU work runs: a bounded pool of worker threads, or inline when size is 0. */
export type IngestPool = {
  readonly name: string;
  readonly size: number;
  open(
    path: string,
    ext: SupportedExtension,
    budget: ParseBudget,
    signal?: AbortSignal,
  ): Promise<IngestSession>;
  /**
   * Parses, chunks and (when it can) embeds a small document in one step; a refusal rejects with its
   * DocumentError. For batches of small files: one thread hop per file instead of a session's ~10.
   */
  readWhole(
    path: string,
    ext: SupportedExtension,
    budget: ParseBudget,
    opts: { chunks: ChunkOptions; embedder: Embedder },
    signal?: AbortSignal,
  ): Promise<WholeDocument>;
  /**
   * {@link readWhole} of several small documents in one pool task (one result message for all): each
   * answer is the document or its DocumentError. A worker that dies fails the whole call (read the
   * files one by one then, so the one at fault fails alone).
   */
  readWholeMany(
    files: { path: string; ext: SupportedExtension; budget: ParseBudget }[],
    opts: { chunks: ChunkOptions; embedder: Embedder },
    signal?: AbortSignal,
  ): Promise<(WholeDocument | DocumentError)[]>;
  /** Tasks the worker threads finished (0 inline): shows the work really left this thread. */
  tasksCompleted(): number;
  close(): Promise<void>;
};
