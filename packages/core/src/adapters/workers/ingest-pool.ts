import { Piscina } from 'piscina';

export type { IngestPool, IngestSession } from '../../ports/ingest-pool';

import { abortable } from '../../lib/abortable';
import { HASHING_EMBEDDER_ID } from '../embedding/hashing-embedder';
import { chunkSegments, type ChunkDraft } from '../../domain/files/chunker';
import { parseDocument } from '../../domain/files/parsers/parse-document';
import { DocumentError } from '../../domain/files/parsers/types';
import { unpackPassage } from './packed-passage';
import type { IngestPool, WholeDocument } from '../../ports/ingest-pool';
import type { ChunkOptions } from '../../domain/files/chunker';
import type { ParseBudget } from '../../domain/files/parsers/budget';
import type { SupportedExtension } from '../../domain/files/parsers/parse-document';
import { parseInPool } from './pooled-parse';
import type { WholeManyResult, WholeManyTask, WholeResult, WholeTask } from './whole-document';
import { workerFailure } from './worker-failure';
import { ingestWorkerFile } from './worker-file';

export type IngestPoolOptions = {
  /** Worker threads; 0 runs everything on the calling thread. */
  size: number;
  /** Heap cap of each worker (MB): a document that needs more fails alone. */
  memoryMb: number;
  /** Embed passages in the pool (the hashing embedder built from config; never a caller's own). */
  embeds: boolean;
};

async function readInline(
  path: string,
  ext: SupportedExtension,
  budget: ParseBudget,
  opts: { chunks: ChunkOptions },
): Promise<WholeDocument> {
  const doc = await parseDocument(path, ext, budget);
  const chunks: ChunkDraft[] = [];
  for await (const c of chunkSegments(doc.segments, opts.chunks)) chunks.push(c);
  return { pageCount: doc.pageCount, chunks, vectors: null };
}

function inlinePool(): IngestPool {
  return {
    name: 'inline (INGEST_WORKERS=0)',
    size: 0,
    async open(path, ext, budget) {
      const doc = await parseDocument(path, ext, budget);
      return { ...doc, documentEmbedder: (e) => e, close: () => undefined };
    },
    readWhole: readInline,
    async readWholeMany(files, opts) {
      const out: (WholeDocument | DocumentError)[] = [];
      for (const f of files) {
        out.push(
          await readInline(f.path, f.ext, f.budget, opts).catch((e: unknown) => {
            if (e instanceof DocumentError) return e;
            throw e;
          }),
        );
      }
      return out;
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
        // The worker embeds the chunks it cuts when it computes this embedder's vectors.
        chunks: (chunkOpts, embedder) =>
          session.chunks(
            chunkOpts,
            opts.embeds && embedder?.id === HASHING_EMBEDDER_ID ? embedder.dimensions : null,
          ),
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
    async readWhole(path, ext, budget, o, signal) {
      const embeds = opts.embeds && o.embedder.id === HASHING_EMBEDDER_ID;
      const dim = o.embedder.dimensions;
      const task: WholeTask = {
        op: 'whole',
        path,
        ext,
        budget,
        chunks: o.chunks,
        dimensions: embeds ? dim : null,
      };
      // No signal for the pool: aborting a running task terminates its worker (every queued task's),
      // and its result may already be on the way (piscina then throws "Unexpected message"). A small
      // document's task is short: an aborted read returns at once and the task ends on its own.
      // An aborted job starts no task: it would hold a pool thread for a result nobody reads.
      signal?.throwIfAborted();
      const running = pool.run(task) as Promise<WholeResult>;
      running.catch(() => undefined);
      let r: WholeResult;
      try {
        r = await abortable(running, signal);
      } catch (e) {
        throw workerFailure(e);
      }
      if ('refused' in r) throw new DocumentError(r.refused, r.message);
      const { flat } = r;
      const vectors = flat ? r.chunks.map((_, i) => flat.subarray(i * dim, (i + 1) * dim)) : null;
      return {
        pageCount: r.pageCount,
        chunks: r.chunks,
        vectors,
        passages: r.passages.map(unpackPassage),
      };
    },
    async readWholeMany(files, o, signal) {
      const embeds = opts.embeds && o.embedder.id === HASHING_EMBEDDER_ID;
      const dim = o.embedder.dimensions;
      const task: WholeManyTask = {
        op: 'whole-many',
        files,
        chunks: o.chunks,
        dimensions: embeds ? dim : null,
      };
      // As readWhole: no signal for the pool (see there).
      signal?.throwIfAborted();
      const running = pool.run(task) as Promise<WholeManyResult>;
      running.catch(() => undefined);
      let r: WholeManyResult;
      try {
        r = await abortable(running, signal);
      } catch (e) {
        throw workerFailure(e);
      }
      const { flat } = r;
      let at = 0;
      return r.results.map((d) => {
        if ('refused' in d) return new DocumentError(d.refused, d.message);
        const vectors = flat ? d.chunks.map(() => flat.subarray(at * dim, ++at * dim)) : null;
        return {
          pageCount: d.pageCount,
          chunks: d.chunks,
          vectors,
          passages: d.passages.map(unpackPassage),
        };
      });
    },
    tasksCompleted: () => pool.completed,
    close: () => pool.destroy(),
  };
}
