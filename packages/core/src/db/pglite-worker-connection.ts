import { mkdirSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';

import { AppError } from '../errors';
import { isBackgroundWork } from '../lib/work-priority';
import { metBusyWorker, probing, WorkerBusy, type ProbeResult } from './pglite-probe';
import type { DatabaseLiveness, LaneStats, Pending, ProxyOptions } from './pglite-connection-types';
import { fromWireError, requestKind, type Payload, type Reply } from './pglite-protocol';
import { RequestScheduler, type Lane } from './pglite-scheduler';
import { startPgliteWorker } from './pglite-worker-thread';

/** What a request reads while the embedded database is down (the process restarts shortly after). */
export const DatabaseMessages = {
  unavailable:
    'Cơ sở dữ liệu của máy chủ đang gặp sự cố nên yêu cầu chưa thực hiện được. Máy chủ sẽ tự khởi động lại; vui lòng thử lại sau ít phút.',
} as const;

/**
 * The main thread's link to the worker thread that hosts PGlite: requests in, replies out, in the
 * scheduler's order. A watchdog turns a storage fault, a dead worker or a hang into `failure`: every
 * request then fails at once with a 503 AppError, `ping` throws, and `onFatal` listeners run (the
 * gateway exits non-zero). PgliteWorkerProxy puts PGlite's interface on top.
 */
export class PgliteWorkerConnection {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  protected readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly fatalListeners: ((err: Error) => void)[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private lastReplyAt = Date.now();
  private lastAnswerAt: number | null = null;
  /** When the worker last went from idle to busy (requests other than probes in flight). */
  protected busySince = 0;
  private probesInFlight = 0;
  protected openTransactions = 0;
  protected closing = false;
  private readonly scheduler: RequestScheduler;
  /** Rejections of the requests waiting in the scheduler (for `fail`). */
  private readonly queued = new Set<(e: unknown) => void>();
  readonly stats: Record<Lane, LaneStats> = {
    interactive: { requests: 0, waitMs: 0, maxWaitMs: 0, workerMs: 0, execMs: 0 },
    background: { requests: 0, waitMs: 0, maxWaitMs: 0, workerMs: 0, execMs: 0 },
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
      burstAnticipateMs,
      schedulerEvents,
      ...workerData
    } = options;
    this.scheduler = new RequestScheduler({
      maxBackgroundWaitMs: maxBackgroundWaitMs ?? 2000,
      anticipateMs: anticipateMs ?? 5,
      burstAnticipateMs: burstAnticipateMs ?? 30,
      events: schedulerEvents,
    });
    mkdirSync(options.dataDir, { recursive: true });
    this.worker = startPgliteWorker(workerData);
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
        this.count(p, m.ms);
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
  protected work(): number {
    return this.pending.size - this.probesInFlight + this.openTransactions + this.queued.size;
  }

  protected request<T>(payload: Payload): Promise<T> {
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
        ...{ resolve, reject, probe, kind, lane },
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

  private count(p: Pending, execMs = 0) {
    const s = this.stats[p.lane];
    const wait = p.sentAt - p.submittedAt;
    s.requests++;
    s.waitMs += wait;
    s.maxWaitMs = Math.max(s.maxWaitMs, wait);
    s.workerMs += performance.now() - p.sentAt;
    s.execMs += execMs;
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
