import type { InsertedRange, SyncResult } from '@rag/core';

export type WatchHandlers = {
  /** Listening: rows committed from now on will be announced (time to sweep what came before). */
  onReady(): void;
  onInsert(range: InsertedRange): void;
  /** The stream of announcements is lost; the service reconnects with back-off. */
  onError(err: unknown): void;
};

/**
 * Where the service syncs: the shared Postgres database directly (LISTEN/NOTIFY), or the gateway
 * through the typed client when the gateway owns an embedded database.
 */
export interface SyncBackend {
  readonly name: string;
  /** Every pending row. */
  sweep(): Promise<SyncResult>;
  /** The pending rows of an announced range. */
  syncRange(range: InsertedRange): Promise<SyncResult>;
  /** Starts listening for new rows; resolves to a function that stops listening. */
  watch(handlers: WatchHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
