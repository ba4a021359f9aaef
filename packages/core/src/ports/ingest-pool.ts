import type { ChunkDraft, ChunkOptions } from '../domain/files/chunker';
import type { ParseBudget } from '../domain/files/parsers/budget';
import type { SupportedExtension } from '../domain/files/parsers/parse-document';
import type { ParsedDocument } from '../domain/files/parsers/types';
import type { Embedder } from './embedder';

/** One document being ingested: its segments, and the embedder its passages go through. */
export type IngestSession = ParsedDocument & {
  /** `embedder` itself, or the same vectors computed in the session's worker (hashing). */
  documentEmbedder(embedder: Embedder): Embedder;
  /** The chunks, cut where the document is parsed (a worker); absent: chunk `segments` here. */
  chunks?(opts: ChunkOptions): AsyncIterable<ChunkDraft>;
  /** Releases the worker (always call it, also after a failure). */
  close(): void;
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
  /** Tasks the worker threads finished (0 inline): shows the work really left this thread. */
  tasksCompleted(): number;
  close(): Promise<void>;
};
