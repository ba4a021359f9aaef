/** Where an ask stream is when it is timed: its `start` event, or the first `content` piece. */
export type AskPhase = 'start' | 'first_content';

/**
 * What the system measures about itself (issue 13.6). The domain reports through this port only; the
 * adapter decides how it is exposed (Prometheus text at /metrics by default).
 */
export interface Telemetry {
  readonly name: string;
  /** One HTTP request: `route` is the route pattern (`/api/files/:filename`), never the raw path. */
  httpRequest(r: { method: string; route: string; status: number; seconds: number }): void;
  /** Time an upload spent in one stage (parse, chunk, embed, index). */
  ingestStage(stage: string, seconds: number): void;
  /** An upload failed after reaching `lastStage` (`none`: refused before it was stored). */
  ingestFailed(lastStage: string): void;
  /** Seconds from the question reaching the server to the given point of its stream. */
  askLatency(phase: AskPhase, seconds: number): void;
  /** The exposition (content type and body), or null when this adapter exposes nothing. */
  exposition(): Promise<{ contentType: string; body: string } | null>;
}

/** Measures nothing (tests or embedders that do not want metrics). */
export const noopTelemetry: Telemetry = {
  name: 'none',
  httpRequest: () => undefined,
  ingestStage: () => undefined,
  ingestFailed: () => undefined,
  askLatency: () => undefined,
  exposition: () => Promise.resolve(null),
};
