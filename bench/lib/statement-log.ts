// Every request the gateway sends to the embedded database (PGlite in its worker), by statement shape and
// lane, with its worker time (issue 17 item 4: what the asks cost the single backend). Patches the proxy
// class, so it sees every instance in this process; install before the database opens.
import { PgliteWorkerProxy } from '../../packages/core/src/db/pglite-proxy';
import { isBackgroundWork } from '../../packages/core/src/lib/work-priority';

type Payload = { op: string; sql?: string };
export type ShapeStats = { shape: string; lane: string; n: number; workerMs: number };

const shapes = new Map<string, ShapeStats>();
/** The interactive requests since the last `mark()`, in order (their shapes): background work is not an ask's. */
let recent: string[] = [];
let lastReply = 0;
let installed = false;

const shapeOf = (p: Payload) =>
  p.sql ? `${p.op}: ${p.sql.replace(/\s+/g, ' ').trim().slice(0, 100)}` : p.op;

/**
 * Wraps the proxy's one entry point. Worker time is estimated from reply order (PGlite runs one request
 * at a time): from the later of its sending and the previous reply, to its reply.
 */
export function installStatementLog(): void {
  if (installed) return;
  installed = true;
  const proto = PgliteWorkerProxy.prototype;
  const request = Reflect.get(proto, 'request') as (this: unknown, p: Payload) => Promise<unknown>;
  const wrapped = async function (this: unknown, payload: Payload) {
    const shape = shapeOf(payload);
    const lane = isBackgroundWork() ? 'background' : 'interactive';
    if (lane === 'interactive') recent.push(shape);
    const submitted = performance.now();
    try {
      return await request.call(this, payload);
    } finally {
      const now = performance.now();
      const key = `${lane} ${shape}`;
      const s = shapes.get(key) ?? { shape, lane, n: 0, workerMs: 0 };
      s.n++;
      s.workerMs += now - Math.max(submitted, lastReply);
      lastReply = now;
      shapes.set(key, s);
    }
  };
  Object.defineProperty(proto, 'request', { value: wrapped, configurable: true });
}

/** Starts a new window for `recent` (e.g. one ask). */
export function mark(): void {
  recent = [];
}

export function recentRequests(): string[] {
  return recent;
}

/** The `top` shapes by worker time, and the totals per lane, since the last `resetShapes()`. */
export function shapeReport(top = 15) {
  const all = [...shapes.values()];
  const lanes: Record<string, { requests: number; workerMs: number }> = {};
  for (const s of all) {
    const l = (lanes[s.lane] ??= { requests: 0, workerMs: 0 });
    l.requests += s.n;
    l.workerMs += s.workerMs;
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    lanes,
    top: all
      .sort((a, b) => b.workerMs - a.workerMs)
      .slice(0, top)
      .map((s) => ({ ...s, workerMs: r1(s.workerMs), perRequestMs: r1(s.workerMs / s.n) })),
  };
}

export function resetShapes(): void {
  shapes.clear();
}
