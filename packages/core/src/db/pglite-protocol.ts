/**
 * Messages between the main thread and the worker thread that hosts the embedded PGlite
 * (structured-clone data only: parser functions stay on the main thread, see pglite-proxy).
 */
import type { RequestKind } from './pglite-scheduler';

export type WorkerOptions = {
  dataDir: string;
  /** Start an absent or empty `dataDir` from the build's migrated template (dist/pg-template). */
  seedFromTemplate?: boolean;
  /** Postgres settings passed as `-c name=value` at start (shared_buffers, work_mem, ...). */
  settings: Record<string, string>;
};

export type QueryRequest = {
  op: 'query';
  id: number;
  sql: string;
  params: unknown[];
  rowMode: 'array' | 'object';
  /** Type OIDs the caller parses itself: the worker returns their text untouched. */
  rawTypes: number[];
  tx?: number;
};

export type Request =
  | QueryRequest
  | { op: 'exec'; id: number; sql: string; tx?: number }
  | { op: 'begin'; id: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'listen'; id: number; channel: string }
  | { op: 'unlisten'; id: number; channel: string }
  | { op: 'ping'; id: number }
  | { op: 'close'; id: number };

/** A request without its id (the connection numbers them). */
export type Payload = Request extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** How a request holds the backend (see RequestScheduler). */
export function requestKind(payload: Payload): RequestKind {
  if (payload.op === 'begin') return 'begin';
  if (payload.op === 'end') return 'end';
  if ((payload.op === 'query' || payload.op === 'exec') && payload.tx !== undefined) return 'tx';
  return 'plain';
}

/** A Postgres error's own fields (code, detail, constraint...) survive the trip. */
export type WireError = { message: string; name: string; props: Record<string, unknown> };

/** `ms`: how long the worker ran the request (see pglite-worker.ts). */
export type Reply =
  | { type: 'reply'; id: number; ok: true; value: unknown; ms?: number }
  | { type: 'reply'; id: number; ok: false; error: WireError; ms?: number }
  | { type: 'notify'; channel: string; payload: string }
  /** A storage call failed in a way a healthy data directory never does (read-only, full, I/O error). */
  | { type: 'fault'; code: string; syscall: string }
  /** `seeded`: the data directory was new and was copied from the build's template. */
  | { type: 'ready'; seeded: boolean }
  | { type: 'failed'; error: WireError };

export function toWireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { message: String(e), name: 'Error', props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined || typeof v === 'function' || (typeof v === 'object' && v !== null))
      continue;
    props[k] = v;
  }
  return { message: e.message, name: e.name, props };
}

export function fromWireError(w: WireError): Error {
  const err = new Error(w.message);
  err.name = w.name;
  Object.assign(err, w.props);
  return err;
}
