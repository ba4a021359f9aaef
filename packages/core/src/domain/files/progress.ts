import { EventEmitter, on } from 'node:events';

export type IngestStage = 'stored' | 'parsed' | 'chunked' | 'embedded' | 'indexed' | 'failed';

export type IngestProgress = {
  stage: IngestStage;
  uploadId: string;
  fileId: string | null;
  filename: string;
  /** Pages read so far and in total (paged documents). */
  pagesDone?: number;
  pageCount?: number | null;
  /** Chunks produced / embedded+stored so far. */
  chunks?: number;
  /** Why it failed (the user-facing message). */
  reason?: string;
};

/**
 * In-process fan-out of ingestion progress, keyed by user and client-chosen upload id, so a UI can
 * subscribe before (or while) it uploads. One bus per composition root.
 */
export class ProgressBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  /** Sees every event of every user (telemetry); set once by the composition root. */
  observer: ((userId: string, event: IngestProgress) => void) | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(userId: string, event: IngestProgress): void {
    this.observer?.(userId, event);
    this.emitter.emit(`${userId}:${event.uploadId}`, event);
  }

  /** Events of one upload until `indexed` or `failed` (or the signal aborts). */
  async *subscribe(
    userId: string,
    uploadId: string,
    signal?: AbortSignal,
  ): AsyncGenerator<IngestProgress> {
    try {
      for await (const [event] of on(this.emitter, `${userId}:${uploadId}`, { signal })) {
        const progress = event as IngestProgress;
        yield progress;
        if (progress.stage === 'indexed' || progress.stage === 'failed') return;
      }
    } catch (e) {
      if ((e as { name?: string }).name !== 'AbortError') throw e;
    }
  }
}

const buses = new WeakMap<object, ProgressBus>();

/** The progress bus of a composition root (keyed by its database handle). */
export function progressBusFor(owner: object): ProgressBus {
  let bus = buses.get(owner);
  if (!bus) buses.set(owner, (bus = new ProgressBus()));
  return bus;
}
