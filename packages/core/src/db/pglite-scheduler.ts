/**
 * The order in which requests reach PGlite's single backend (issue 17 item 4). Sent as they came, a
 * request's statements queued behind every ingestion write already sent. Here requests wait on the main
 * thread instead, and the backend gets interactive work first: background work (marked with
 * `runAsBackground`, e.g. ingestion jobs) is sent only when no interactive request waits and nothing is in
 * flight, so an interactive statement waits at most for the one background statement or transaction
 * already running. A transaction owns the backend from its `begin` to its `end`: only its own statements
 * are sent meanwhile (PGlite would queue any other behind it anyway).
 */

export type Lane = 'interactive' | 'background';

/**
 * `begin` takes the backend; `end` (or a failed `begin`) gives it back; `tx` is a statement of the open
 * transaction (sent at once); `plain` is any other request.
 */
export type RequestKind = 'begin' | 'end' | 'tx' | 'plain';

type Queued = { kind: 'begin' | 'plain'; send: () => void; at: number };

/** Interactive answers that make a burst when they all came within BURST_WINDOW_MS. */
export const BURST = 8;
const BURST_WINDOW_MS = 50;

export type SchedulerEvents = {
  /** A request left its queue for the worker (tests observe the order). */
  onSend?: (lane: Lane, kind: RequestKind) => void;
};

export type SchedulerOptions = {
  /** A background request older than this goes before newer interactive ones (no starvation). */
  maxBackgroundWaitMs: number;
  /**
   * After an interactive answer, background work waits this long for the same request's next statement
   * (a request runs several in a row, with JavaScript between them); 0 = no wait.
   */
  anticipateMs?: number;
  /**
   * The wait during a burst of interactive requests ({@link BURST} answers within BURST_WINDOW_MS):
   * the main thread runs one request's JavaScript after another, and a background statement sent into
   * such a gap holds the backend for tens of ms while the next requests queue (default: anticipateMs).
   * A lone request (an upload, one question) keeps the short wait, so its own background work (the
   * upload's indexing) is not delayed.
   */
  burstAnticipateMs?: number;
  events?: SchedulerEvents;
  now?: () => number;
  /** Calls `fn` after `ms` (a timer; tests pass their own). */
  later?: (fn: () => void, ms: number) => void;
};

export class RequestScheduler {
  private readonly queues: Record<Lane, Queued[]> = { interactive: [], background: [] };
  /** Plain requests sent and not answered yet. */
  private inFlight = 0;
  /** A transaction holds the backend (from sending its `begin` until its `end` is answered). */
  private owned = false;
  private lastInteractiveAt = -Infinity;
  /** When the last BURST interactive answers came (a ring, oldest at `answerAt`). */
  private readonly answers = new Array<number>(BURST).fill(-Infinity);
  private answerAt = 0;
  private timerSet = false;
  private readonly maxBackgroundWaitMs: number;
  private readonly anticipateMs: number;
  private readonly burstAnticipateMs: number;
  private readonly events: SchedulerEvents;
  private readonly now: () => number;
  private readonly later: (fn: () => void, ms: number) => void;

  constructor(opts: SchedulerOptions) {
    this.maxBackgroundWaitMs = opts.maxBackgroundWaitMs;
    this.anticipateMs = opts.anticipateMs ?? 0;
    this.burstAnticipateMs = opts.burstAnticipateMs ?? this.anticipateMs;
    this.events = opts.events ?? {};
    this.now = opts.now ?? Date.now;
    this.later = opts.later ?? ((fn, ms) => setTimeout(fn, ms).unref());
  }

  /** Requests waiting to be sent. */
  get waiting(): number {
    return this.queues.interactive.length + this.queues.background.length;
  }

  submit(lane: Lane, kind: RequestKind, send: () => void) {
    if (kind === 'tx' || kind === 'end') {
      this.events.onSend?.(lane, kind);
      send();
      return;
    }
    this.queues[lane].push({ kind, send, at: this.now() });
    this.pump();
  }

  /** The worker answered a request of this kind. */
  settled(kind: RequestKind, ok: boolean, lane: Lane = 'interactive') {
    if (lane === 'interactive') {
      this.lastInteractiveAt = this.now();
      this.answers[this.answerAt] = this.lastInteractiveAt;
      this.answerAt = (this.answerAt + 1) % BURST;
    }
    if (kind === 'plain') this.inFlight--;
    else if (kind === 'end' || (kind === 'begin' && !ok)) this.owned = false;
    this.pump();
  }

  /** Drops every waiting request (the database failed); returns how many there were. */
  clear(): number {
    const n = this.waiting;
    this.queues.interactive = [];
    this.queues.background = [];
    this.inFlight = 0;
    this.owned = false;
    return n;
  }

  private send(lane: Lane, q: Queued) {
    if (q.kind === 'begin') this.owned = true;
    else this.inFlight++;
    this.events.onSend?.(lane, q.kind);
    q.send();
  }

  private pump() {
    if (this.owned) return;
    const bg = this.queues.background;
    const starving = bg.length > 0 && this.now() - (bg[0]?.at ?? 0) > this.maxBackgroundWaitMs;
    if (starving) {
      // Let what is in flight drain, then the oldest background request goes first.
      if (this.inFlight > 0) return;
      this.next('background');
      if (this.owned) return;
    }
    while (this.queues.interactive.length > 0) {
      const head = this.queues.interactive[0];
      // A transaction starts only on an idle backend; plain requests pipeline.
      if (head?.kind === 'begin' && this.inFlight > 0) return;
      this.next('interactive');
      if (this.owned) return;
    }
    if (this.inFlight > 0 || bg.length === 0) return;
    const quietFor = this.now() - this.lastInteractiveAt;
    const oldest = this.answers[this.answerAt] ?? -Infinity;
    const burst = this.lastInteractiveAt - oldest <= BURST_WINDOW_MS;
    const wait = burst ? this.burstAnticipateMs : this.anticipateMs;
    if (starving || quietFor >= wait) return this.next('background');
    if (this.timerSet) return;
    this.timerSet = true;
    this.later(() => {
      this.timerSet = false;
      this.pump();
    }, wait - quietFor);
  }

  private next(lane: Lane) {
    const q = this.queues[lane].shift();
    if (q) this.send(lane, q);
  }
}
