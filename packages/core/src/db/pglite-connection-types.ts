import type { WorkerOptions } from './pglite-protocol';
import type { Lane, RequestKind, SchedulerEvents } from './pglite-scheduler';

export type ProxyOptions = WorkerOptions & {
  /** A request the worker has not answered for this long (no reply at all meanwhile) is a hang. */
  stallTimeoutMs: number;
  /** Background work waiting longer than this goes before newer interactive requests (default 2 s). */
  maxBackgroundWaitMs?: number;
  /** Background work waits this long after an interactive answer for the request's next one (5 ms). */
  anticipateMs?: number;
  /** The same wait during a burst of interactive requests (30 ms; see the scheduler). */
  burstAnticipateMs?: number;
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

/**
 * Where requests' time went, per lane (benchmarks read it): waiting to be sent, then from sending to the
 * reply's handling (`workerMs`: includes waits for the main thread), of which PGlite ran (`execMs`).
 */
export type LaneStats = {
  requests: number;
  waitMs: number;
  maxWaitMs: number;
  workerMs: number;
  execMs: number;
};

/** A request sent or waiting to be sent, and how to settle its caller's promise. */
export type Pending = {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  probe: boolean;
  kind: RequestKind;
  lane: Lane;
  submittedAt: number;
  sentAt: number;
};
