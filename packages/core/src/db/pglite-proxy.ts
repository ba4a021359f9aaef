import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

import { AppError } from '../errors';
import { isBackgroundWork } from '../lib/work-priority';
import {
  RequestScheduler,
  type Lane,
  type RequestKind,
  type SchedulerEvents,
} from './pglite-scheduler';
import { fromWireError, type Reply, type Request, type WorkerOptions } from './pglite-protocol';

/** What a request reads while the embedded database is down (the process restarts shortly after). */
export const DatabaseMessages = {
  unavailable:
    'Cơ sở dữ liệu của máy chủ đang gặp sự cố nên yêu cầu chưa thực hiện được. Máy chủ sẽ tự khởi động lại; vui lòng thử lại sau ít phút.',
} as const;

/** The part of PGlite's interface drizzle-orm/pglite and this code base use. */
export type PgliteClient = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'listen'>;

export type ProxyOptions = WorkerOptions & {
  /** A request the worker has not answered for this long (no reply at all meanwhile) is a hang. */
  stallTimeoutMs: number;
  /** Background work waiting longer than this goes before newer interactive requests (default 2 s). */
  maxBackgroundWaitMs?: number;
  /** Background work waits this long after an interactive answer for the request's next one (5 ms). */
  anticipateMs?: number;
  /** Observes the order requests are sent in (tests). */
  schedulerEvents?: SchedulerEvents;
};

/** What the watchdog knows of the worker, read without a round trip (for /health). */
export type DatabaseLiveness = {
  /** `busy`: requests in flight, none silent past the stall timeout; `failed`: the watchdog gave up. */
  state: 'idle' | 'busy' | 'failed';
  /** Requests sent and not answered yet plus open transactions (liveness probes excluded). */
  inFlight: number;
  /** How long the worker has been answering without a pause (0 when idle). */
  busyForMs: number;
  /** Time since the worker last answered anything (null before its first answer). */
  lastReplyMsAgo: number | null;
};

/** Runs a liveness check: `busy` when it needed the worker while the worker was busy with other work. */
export type ProbeResult = 'connected' | 'busy';

type Pending = {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  probe: boolean;
  kind: RequestKind;
  lane: Lane;
  submittedAt: number;
  sentAt: number;
};

/** Where requests' time went, per lane (benchmarks read it): waiting to be sent, then in the worker. */
export type LaneStats = { requests: number; waitMs: number; maxWaitMs: number; workerMs: number };

/** Marks the queries of a liveness probe: they must never queue behind other requests. */
const probing = new AsyncLocalStorage<true>();

/** A probe's query met a busy worker: not sent, since it would wait for the work in flight. */
class WorkerBusy extends Error {}

/** Whether `e` is, or wraps (drizzle wraps query errors as their `cause`), a WorkerBusy. */
function metBusyWorker(e: unknown): boolean {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++)
    if (c instanceof WorkerBusy) return true;
  return false;
}
type Payload = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** dist/ (bundled: the worker is its own entry next to main.js) or the TypeScript source (tsx, tests). */
function workerEntry(): URL {
  const candidates = ['./pglite-worker.ts', './pglite-worker.js', '../pglite-worker.js'];
  for (const c of candidates) {
    const url = new URL(c, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`pglite-worker entry not found next to ${fileURLToPath(import.meta.url)}`);
}

/**
 * From TypeScript sources (tsx) the worker must register tsx itself: Node 20 does not carry the
 * parent's `--import tsx` loader hooks into worker threads.
 */
function startWorker(entry: URL, workerData: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * PGlite in a worker thread, seen from the main thread as (the used subset of) a PGlite instance.
 * A watchdog turns a storage fault, a dead worker or a hang into `failure`: every query then fails at
 * once with a 503 AppError, `ping` throws, and `onFatal` listeners run (the gateway exits non-zero).
 */
export class PgliteWorkerProxy implements PgliteClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly fatalListeners: ((err: Error) => void)[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private lastReplyAt = Date.now();
  private lastAnswerAt: number | null = null;
  /** When the worker last went from idle to busy (requests other than probes in flight). */
  private busySince = 0;
  private probesInFlight = 0;
  private openTransactions = 0;
  private closing = false;
  private readonly scheduler: RequestScheduler;
  /** Rejections of the requests waiting in the scheduler (for `fail`). */
  private readonly queued = new Set<(e: unknown) => void>();
  readonly stats: Record<Lane, LaneStats> = {
    interactive: { requests: 0, waitMs: 0, maxWaitMs: 0, workerMs: 0 },
    background: { requests: 0, waitMs: 0, maxWaitMs: 0, workerMs: 0 },
  };
  failure: Error | null = null;
  /** The data directory was created from the build's template (a first start). */
  seeded = false;
  readonly ready: Promise<void>;

  constructor(private readonly options: ProxyOptions) {
    const {
      stallTimeoutMs: _s,
      maxBackgroundWaitMs,
      anticipateMs,
      schedulerEvents,
      ...workerData
    } = options;
    this.scheduler = new RequestScheduler({
      maxBackgroundWaitMs: maxBackgroundWaitMs ?? 2000,
      anticipateMs: anticipateMs ?? 5,
      events: schedulerEvents,
    });
    mkdirSync(options.dataDir, { recursive: true });
    this.worker = startWorker(workerEntry(), workerData);
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: Reply) => {
        if (m.type === 'ready') {
          this.seeded = m.seeded;
          resolve();
        } else if (m.type === 'failed') reject(fromWireError(m.error));
        else this.onMessage(m);
      });
      this.worker.once('error', (e) => {
        reject(e);
        this.fail(e);
      });
      this.worker.once('exit', (code) => {
        const e = new Error(`the database worker exited (code ${code})`);
        reject(e);
        if (!this.closing) this.fail(e);
      });
    });
    this.ready.catch(() => undefined);
    this.watchdog = setInterval(() => this.checkStall(), 1000).unref();
  }

  private onMessage(m: Reply) {
    this.lastReplyAt = Date.now();
    this.lastAnswerAt = this.lastReplyAt;
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (p.probe) this.probesInFlight--;
      else {
        this.scheduler.settled(p.kind, m.ok, p.lane);
        this.count(p);
      }
      if (this.work() === 0) this.busySince = 0;
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWireError(m.error));
    } else if (m.type === 'notify') {
      for (const cb of this.channels.get(m.channel) ?? []) cb(m.payload);
    } else if (m.type === 'fault') {
      this.fail(new Error(`database storage fault: ${m.syscall} failed with ${m.code}`));
    }
  }

  private checkStall() {
    if (this.pending.size === 0 || this.failure) return;
    const silent = Date.now() - this.lastReplyAt;
    if (silent > this.options.stallTimeoutMs)
      this.fail(new Error(`the database has not answered for ${Math.round(silent / 1000)} s`));
  }

  private unavailable(cause: Error) {
    return new AppError('UNAVAILABLE', DatabaseMessages.unavailable, { cause });
  }

  /** Marks the database failed (once): pending and later requests get 503; the stuck worker is stopped. */
  fail(cause: Error) {
    if (this.failure || this.closing) return;
    this.failure = cause;
    clearInterval(this.watchdog);
    for (const p of this.pending.values()) p.reject(this.unavailable(cause));
    this.pending.clear();
    for (const reject of this.queued) reject(this.unavailable(cause));
    this.queued.clear();
    this.scheduler.clear();
    this.probesInFlight = 0;
    this.openTransactions = 0;
    // A worker spinning in WASM is interrupted by terminate(); it would only burn a core.
    void this.worker.terminate().catch(() => undefined);
    for (const l of this.fatalListeners) l(cause);
  }

  onFatal(listener: (err: Error) => void) {
    this.fatalListeners.push(listener);
    if (this.failure) listener(this.failure);
  }

  /**
   * Real work (not liveness probes): requests in flight or waiting to be sent, and open transactions
   * between statements.
   */
  private work(): number {
    return this.pending.size - this.probesInFlight + this.openTransactions + this.queued.size;
  }

  private request<T>(payload: Payload): Promise<T> {
    if (this.failure) return Promise.reject(this.unavailable(this.failure));
    if (this.closing && payload.op !== 'close')
      return Promise.reject(new Error('database is closed'));
    const probe = probing.getStore() === true;
    // PGlite is one backend: a probe sent now would answer only after the work in flight (an index
    // build can take minutes). The watchdog already vouches for a busy worker, so the probe stops here.
    if (probe && this.work() > 0) return Promise.reject(new WorkerBusy('busy'));
    const kind = requestKind(payload);
    const lane = isBackgroundWork() ? 'background' : 'interactive';
    return new Promise<T>((resolve, reject) => {
      const at = performance.now();
      const entry = {
        ...{ resolve: resolve as (v: unknown) => void, reject, probe, kind, lane },
        ...{ submittedAt: at, sentAt: at },
      } satisfies Pending;
      // Probes go only to an idle worker, and `close` ends everything: neither waits its turn.
      if (probe || payload.op === 'close') return this.send(payload, entry);
      if (this.work() === 0) this.busySince = Date.now();
      this.queued.add(reject);
      this.scheduler.submit(lane, kind, () => {
        this.queued.delete(reject);
        this.send(payload, entry);
      });
    });
  }

  private send(payload: Payload, entry: Pending) {
    if (this.failure) return entry.reject(this.unavailable(this.failure));
    const id = this.nextId++;
    if (this.pending.size === 0) this.lastReplyAt = Date.now();
    if (entry.probe) this.probesInFlight++;
    entry.sentAt = performance.now();
    this.pending.set(id, entry);
    this.worker.postMessage({ ...payload, id });
  }

  private count(p: Pending) {
    const s = this.stats[p.lane];
    const wait = p.sentAt - p.submittedAt;
    s.requests++;
    s.waitMs += wait;
    s.maxWaitMs = Math.max(s.maxWaitMs, wait);
    s.workerMs += performance.now() - p.sentAt;
  }

  /**
   * Runs a liveness check (e.g. the pings of every adapter on this database) without queueing: each of
   * its queries is sent only while the worker has no other work, else the check ends as `busy` at once.
   * A busy worker is healthy until the watchdog says otherwise; a failed one makes the check throw.
   */
  async probe(check: () => Promise<unknown>): Promise<ProbeResult> {
    try {
      await probing.run(true, check);
      return 'connected';
    } catch (e) {
      if (metBusyWorker(e) && !this.failure) return 'busy';
      throw e;
    }
  }

  liveness(): DatabaseLiveness {
    const now = Date.now();
    const busy = this.work() > 0;
    return {
      state: this.failure ? 'failed' : busy ? 'busy' : 'idle',
      inFlight: this.work(),
      busyForMs: busy && !this.failure ? now - this.busySince : 0,
      lastReplyMsAgo: this.lastAnswerAt === null ? null : now - this.lastAnswerAt,
    };
  }

  async query<T>(
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
    tx?: number,
  ): Promise<Results<T>> {
    const parsers = options?.parsers ?? {};
    const result = await this.request<Results<T>>({
      op: 'query',
      sql,
      params,
      rowMode: options?.rowMode ?? 'object',
      rawTypes: Object.keys(parsers).map(Number),
      tx,
    });
    applyParsers(result, parsers, options?.rowMode ?? 'object');
    return result;
  }

  exec(sql: string, _options?: QueryOptions, tx?: number): Promise<Results[]> {
    return this.request<Results[]>({ op: 'exec', sql, tx });
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    // An open transaction holds the backend even between its statements: it counts as work.
    if (this.work() === 0) this.busySince = Date.now();
    this.openTransactions++;
    let id: number;
    try {
      id = await this.request<number>({ op: 'begin' });
    } catch (e) {
      this.openTransactions--;
      throw e;
    }
    let closed = false;
    const end = async (commit: boolean) => {
      if (closed) return;
      closed = true;
      try {
        await this.request({ op: 'end', tx: id, commit });
      } finally {
        this.openTransactions--;
      }
    };
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        this.query<R>(sql, params, options, id),
      exec: (sql: string, options?: QueryOptions) => this.exec(sql, options, id),
      rollback: () => end(false),
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    let result: T;
    try {
      result = await callback(tx);
    } catch (e) {
      if (!this.failure) await end(false).catch(() => undefined);
      throw e;
    }
    await end(true);
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void) {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      await this.request({ op: 'listen', channel });
    }
    set.add(callback);
    return async () => {
      set.delete(callback);
      if (set.size > 0 || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      if (!this.failure && !this.closing) await this.request({ op: 'unlisten', channel });
    };
  }

  /**
   * Liveness. A worker with requests in flight is working (the watchdog turns silence past the stall
   * timeout into a failure), so /health answers at once even during a long statement such as an index
   * build; an idle worker must answer a round trip.
   */
  async ping(): Promise<void> {
    if (this.failure) throw this.unavailable(this.failure);
    await this.ready;
    // Inside a probe the request itself reports `busy` rather than waiting.
    if (this.work() > 0 && !probing.getStore()) return;
    await this.request({ op: 'ping' });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.watchdog);
    if (!this.failure) await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

/** How a request holds the backend (see RequestScheduler). */
function requestKind(payload: Payload): RequestKind {
  if (payload.op === 'begin') return 'begin';
  if (payload.op === 'end') return 'end';
  if ((payload.op === 'query' || payload.op === 'exec') && payload.tx !== undefined) return 'tx';
  return 'plain';
}

/** Runs the caller's parsers on the raw text the worker returned for their types. */
function applyParsers(
  result: Results<unknown>,
  parsers: NonNullable<QueryOptions['parsers']>,
  rowMode: 'array' | 'object',
) {
  const fields = result.fields ?? [];
  const cols = fields
    .map((f, i) => ({ i, name: f.name, parse: parsers[f.dataTypeID] }))
    .filter((c) => c.parse);
  if (cols.length === 0) return;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const c of cols) {
      const key = rowMode === 'array' ? c.i : c.name;
      const v = row[key];
      if (typeof v === 'string') row[key] = c.parse!(v);
    }
  }
}
