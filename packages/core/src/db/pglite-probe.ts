import { AsyncLocalStorage } from 'node:async_hooks';

/** Runs a liveness check: `busy` when it needed the worker while the worker was busy with other work. */
export type ProbeResult = 'connected' | 'busy';

/** Marks the queries of a liveness probe: they must never queue behind other requests. */
export const probing = new AsyncLocalStorage<true>();

/** A probe's query met a busy worker: not sent, since it would wait for the work in flight. */
export class WorkerBusy extends Error {}

/** Whether `e` is, or wraps (drizzle wraps query errors as their `cause`), a WorkerBusy. */
export function metBusyWorker(e: unknown): boolean {
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++)
    if (c instanceof WorkerBusy) return true;
  return false;
}
