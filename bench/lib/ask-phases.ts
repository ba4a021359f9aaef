// Where an ask's time to first `content` goes on the server (issue 17 item 4): each HTTP request is
// followed from its arrival through the dependency calls of the ask path (token check, target + question
// save, search, the answer's first piece), and the event loop's delay is sampled meanwhile. Wraps the
// objects in place; for benches only.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

type Marks = Record<string, number>;
const current = new AsyncLocalStorage<Marks>();
let asks: Marks[] = [];
let windowStart = 0;

const mark = (name: string) => {
  const m = current.getStore();
  if (m && m[name] === undefined) m[name] = performance.now();
};

/** Wraps `obj[key]` (an async method) to mark `<name>` when called and `<name>:done` when settled. */
function wrapAsync(obj: object, key: string, name: string) {
  const o = obj as Record<string, unknown>;
  const fn = o[key] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  if (typeof fn !== 'function') return;
  o[key] = async function (this: unknown, ...args: unknown[]) {
    mark(name);
    try {
      return await fn.apply(this, args);
    } finally {
      mark(`${name}:done`);
    }
  };
}

/** Wraps an async-generator method to mark its first yielded item. */
function wrapStream(obj: object, key: string, name: string) {
  const o = obj as Record<string, unknown>;
  const fn = o[key] as ((...a: unknown[]) => AsyncIterable<unknown>) | undefined;
  if (typeof fn !== 'function') return;
  o[key] = async function* (this: unknown, ...args: unknown[]) {
    mark(name);
    for await (const x of fn.apply(this, args)) {
      mark(`${name}:first`);
      yield x;
    }
  };
}

export function installAskPhases(
  server: Server,
  deps: { auth: object; askTargets: object; vectorIndex: object; embedder: object; llm: object },
) {
  const connectedAt = new WeakMap<object, number>();
  server.on('connection', (socket: object) => connectedAt.set(socket, performance.now()));
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const window = /[?&]bench-window=([^&]+)/.exec(req.url ?? '')?.[1];
    if (window) openWindow(window);
    if (!req.url?.startsWith('/api/ask/stream')) return;
    const m: Marks = { arrival: performance.now() };
    const connected = connectedAt.get(req.socket);
    // A kept-alive connection from before the window says nothing about this request.
    if (connected !== undefined && connected >= windowStart) m.connect = connected;
    asks.push(m);
    current.enterWith(m);
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (m.written === undefined && String(chunk).startsWith('event: content'))
        m.written = performance.now();
      return write(chunk, ...rest);
    }) as typeof res.write;
  });
  wrapAsync(deps.auth, 'verifyAccessToken', 'auth');
  wrapAsync(deps.askTargets, 'resolveAndSave', 'save');
  wrapAsync(deps.embedder, 'embed', 'embed');
  wrapAsync(deps.vectorIndex, 'search', 'search');
  wrapStream(deps.llm, 'streamAnswer', 'answer');
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number) : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * CPU time of the main thread (the gateway's event loop) so far, in ms, from /proc (Linux; clock ticks of
 * 10 ms): steadier than wall time on a shared machine, where a busy loop also waits for a core. Null
 * elsewhere.
 */
export function loopCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const windows: Record<string, ReturnType<ReturnType<typeof phaseWindow>>> = {};
let closeWindow: (() => void) | null = null;

/** A client's `GET /api/?bench-window=<label>` ends the previous window and starts `<label>`'s. */
function openWindow(label: string) {
  closeWindow?.();
  closeWindow = null;
  if (label === 'end') return;
  const report = phaseWindow();
  const profiled = profileWindow(label);
  closeWindow = () => {
    windows[label] = report();
    profiled?.();
  };
}

/**
 * With `ASK_CPU_PROFILE=<dir>`, the main thread's CPU profile of each window (one load scenario) is
 * written to `<dir>/<label>.cpuprofile` (open it in Chrome DevTools or speedscope).
 */
function profileWindow(label: string): (() => void) | null {
  const dir = process.env.ASK_CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  return () =>
    session.post('Profiler.stop', (err, res) => {
      if (!err) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(res.profile));
      }
      session.disconnect();
    });
}

/** The reports of the windows the client opened, by label. */
export function phaseReports() {
  closeWindow?.();
  closeWindow = null;
  return windows;
}

/** Starts a window (one load scenario): returns its report when called. */
function phaseWindow() {
  asks = [];
  windowStart = performance.now();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const gc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = loopCpuMs();
  return () => {
    const cpu = loopCpuMs();
    const loopCpu = cpu === null || cpu0 === null ? null : cpu - cpu0;
    const elu = performance.eventLoopUtilization(elu0);
    delay.disable();
    gcObserver.disconnect();
    const steps: [string, string, string][] = [
      ['arrival→auth', 'arrival', 'auth'],
      ['auth', 'auth', 'auth:done'],
      ['auth→save', 'auth:done', 'save'],
      ['save', 'save', 'save:done'],
      ['save→search', 'save:done', 'search'],
      ['search', 'search', 'search:done'],
      ['search→answer', 'search:done', 'answer'],
      ['answer→first', 'answer', 'answer:first'],
      ['first→written', 'answer:first', 'written'],
      ['connect→arrival', 'connect', 'arrival'],
      ['arrival→written', 'arrival', 'written'],
    ];
    const out: Record<string, { p50: number; p95: number }> = {};
    for (const [label, a, b] of steps) {
      const xs = asks.flatMap((m) =>
        m[a] !== undefined && m[b] !== undefined ? [m[b] - m[a]] : [],
      );
      out[label] = { p50: r1(pct(xs, 50)), p95: r1(pct(xs, 95)) };
    }
    const t0 = windowStart;
    const since = (k: string) => asks.flatMap((m) => (m[k] === undefined ? [] : [m[k] - t0]));
    return {
      asks: asks.length,
      // The main thread's CPU over the window (the asks' and the uploads' share of the loop), per ask.
      loop_cpu_ms: loopCpu,
      loop_cpu_ms_per_ask: loopCpu === null ? null : r1(loopCpu / Math.max(1, asks.length)),
      loop_active_ms: r1(elu.active),
      // From the window's start (the client fires every stream right after it).
      since_window_ms: Object.fromEntries(
        ['connect', 'arrival', 'auth', 'save:done', 'search:done', 'written'].map((k) => [
          k,
          { p50: r1(pct(since(k), 50)), p95: r1(pct(since(k), 95)) },
        ]),
      ),
      phases_ms: out,
      gc_ms: {
        total: r1(gc.reduce((a, b) => a + b, 0)),
        max: r1(Math.max(0, ...gc)),
        n: gc.length,
      },
      event_loop_delay_ms: {
        p50: r1(delay.percentile(50) / 1e6),
        p99: r1(delay.percentile(99) / 1e6),
        max: r1(delay.max / 1e6),
      },
    };
  };
}
