import { Piscina } from 'piscina';

export type { IngestPool, IngestSession } from '../../ports/ingest-pool';

import { HASHING_EMBEDDER_ID } from '../embedding/hashing-embedder';
import { parseDocument } from '../../domain/files/parsers/parse-document';
import type { IngestPool } from '../../ports/ingest-pool';
import { parseInPool } from './pooled-parse';
import { ingestWorkerFile } from './worker-file';

export type IngestPoolOptions = {
  /** Worker threads; 0 runs everything on the calling thread. */
  size: number;
  /** Heap cap of each worker (MB): a document that needs more fails alone. */
  memoryMb: number;
  /** Embed passages in the pool (the hashing embedder built from config; never a caller's own). */
  embeds: boolean;
};

function inlinePool(): IngestPool {
  return {
    name: 'inline (INGEST_WORKERS=0)',
    size: 0,
    async open(path, ext, budget) {
      const doc = await parseDocument(path, ext, budget);
      return { ...doc, documentEmbedder: (e) => e, close: () => undefined };
    },
    tasksCompleted: () => 0,
    close: () => Promise.resolve(),
  };
}

/**
 * A Piscina pool: each job's document is parsed in one worker, which also computes the job's hashing
 * embeddings; a worker that runs out of its heap (resourceLimits) dies alone and fails its job.
 */
export function createIngestPool(opts: IngestPoolOptions): IngestPool {
  if (opts.size <= 0) return inlinePool();
  const pool = new Piscina({
    filename: ingestWorkerFile(),
    minThreads: 0,
    maxThreads: opts.size,
    idleTimeout: 60_000,
    // A parse task waits on its port between batches; the worker must not block in Atomics.wait.
    atomics: 'disabled',
    resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb },
  });
  return {
    name: `${opts.size} worker thread(s), ${opts.memoryMb} MB heap each`,
    size: opts.size,
    async open(path, ext, budget, signal) {
      const session = await parseInPool(pool, path, ext, budget, signal);
      return {
        pageCount: session.pageCount,
        segments: session.segments,
        chunks: session.chunks,
        close: session.close,
        documentEmbedder(embedder) {
          if (!opts.embeds || embedder.id !== HASHING_EMBEDDER_ID) return embedder;
          return {
            id: embedder.id,
            dimensions: embedder.dimensions,
            fusionWeight: embedder.fusionWeight,
            embed: (texts, o) =>
              o?.kind === 'query' || texts.length === 0
                ? embedder.embed(texts, o)
                : session.embed(texts, embedder.dimensions),
          };
        },
      };
    },
    tasksCompleted: () => pool.completed,
    close: () => pool.destroy(),
  };
}
