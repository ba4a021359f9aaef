import type { Env } from '../env';

/**
 * The memory the server may use at most on the embedded default, from its settings (issue 13 item 3),
 * in MiB. Each part has its own enforced bound: the BM25 cache evicts beyond BM25_CACHE_MB, every
 * ingestion worker runs under a V8 heap cap (a document needing more fails alone), PGlite's Postgres
 * gets its memory settings at start, and uploads stream to disk rather than into memory. The fixed
 * parts were measured with `pnpm bench memory` (bench/results/memory.json), which also checks the
 * measured peaks against this ceiling.
 */
export type MemoryBudget = { ceilingMiB: number; parts: Record<string, number> };

/** Measured: the server process idle without PGlite's share (node, the bundle, an idle ingestion worker). */
const RUNTIME_MIB = 220;
/** Measured: PGlite's WASM Postgres with pgvector on a small database, beyond its settings. */
const PGLITE_BASE_MIB = 120;
/** Per ingestion worker on top of its heap cap: its own V8 isolate, code and buffers. */
const WORKER_OVERHEAD_MIB = 40;
/** Sorts and hashes a query may run at once inside Postgres, each up to work_mem. */
const WORK_MEM_SLOTS = 4;

/** '32MB', '512kB', '1GB' → MiB. */
export function sizeMiB(size: string): number {
  const m = /^(\d+)(kB|MB|GB)$/.exec(size);
  if (!m) throw new Error(`not a Postgres size: ${size}`);
  const n = Number(m[1]);
  return m[2] === 'kB' ? n / 1024 : m[2] === 'GB' ? n * 1024 : n;
}

export function memoryBudget(
  env: Pick<
    Env,
    | 'BM25_CACHE_MB'
    | 'INGEST_WORKER_MEMORY_MB'
    | 'PGLITE_SHARED_BUFFERS'
    | 'PGLITE_WORK_MEM'
    | 'PGLITE_MAINTENANCE_WORK_MEM'
  >,
  workers: number,
  embedded: boolean,
): MemoryBudget {
  const parts: Record<string, number> = { runtime: RUNTIME_MIB };
  if (embedded)
    parts.pglite = Math.round(
      PGLITE_BASE_MIB +
        sizeMiB(env.PGLITE_SHARED_BUFFERS) +
        sizeMiB(env.PGLITE_MAINTENANCE_WORK_MEM) +
        WORK_MEM_SLOTS * sizeMiB(env.PGLITE_WORK_MEM),
    );
  parts.bm25Cache = env.BM25_CACHE_MB;
  parts.ingestWorkers = workers * (env.INGEST_WORKER_MEMORY_MB + WORKER_OVERHEAD_MIB);
  const ceilingMiB = Object.values(parts).reduce((a, b) => a + b, 0);
  return { ceilingMiB: Math.round(ceilingMiB), parts };
}
