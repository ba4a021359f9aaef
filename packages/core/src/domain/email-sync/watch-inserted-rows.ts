import type { InsertedRange, InsertFeed } from '../../ports/email-sync-store';
import type { InsertedEvent } from './schemas';

/**
 * The notifications as an async stream (for the `chatHistory.onInserted` subscription): first
 * `ready`, then one `inserted` per burst — ranges queued while the consumer is busy are merged.
 */
export async function* watchInsertedRows(
  deps: { insertFeed: InsertFeed },
  signal?: AbortSignal,
): AsyncGenerator<InsertedEvent> {
  // Mutated by the listener callbacks; boxed so TypeScript does not narrow them to `null`.
  const state: { pending: InsertedRange | null; failure: Error | null } = {
    pending: null,
    failure: null,
  };
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const stop = await deps.insertFeed.listen({
    onInsert(range) {
      const prev = state.pending;
      state.pending = prev
        ? {
            from_log_id: Math.min(prev.from_log_id, range.from_log_id),
            to_log_id: Math.max(prev.to_log_id, range.to_log_id),
          }
        : range;
      poke();
    },
    onError(err) {
      state.failure = err;
      poke();
    },
  });
  signal?.addEventListener('abort', poke);
  try {
    yield { type: 'ready' };
    while (!signal?.aborted) {
      if (state.failure) throw state.failure;
      const next = state.pending;
      if (next) {
        state.pending = null;
        yield { type: 'inserted', ...next };
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener('abort', poke);
    await stop();
  }
}
