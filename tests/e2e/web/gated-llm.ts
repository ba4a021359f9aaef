import type { Llm } from '@rag/core/testing';

/**
 * The embedded extractive model with a hand on the tap: once `hold()` is called, the next answer
 * sends each piece only when the test calls `release()`, so "mid-stream" is a state the test
 * reaches by events, not by racing a fast stream. Every other answer streams as usual.
 */
export function gatedLlm(inner: Llm) {
  let armed = false;
  let permits = 0;
  let wake: (() => void) | null = null;
  let sent = 0;
  /** Pieces sent when the held answer last stopped at the tap with another piece in hand. */
  let heldAt = -1;
  const heldWaiters: { n: number; resolve: () => void }[] = [];

  const llm: Llm = {
    ...inner,
    async *streamAnswer(input) {
      if (!armed) {
        yield* inner.streamAnswer(input);
        return;
      }
      armed = false;
      sent = 0;
      const signal = input.signal;
      for await (const piece of inner.streamAnswer(input)) {
        if (permits === 0) {
          heldAt = sent;
          for (const w of heldWaiters.filter((x) => x.n === sent)) w.resolve();
        }
        while (permits === 0 && !signal?.aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        if (signal?.aborted) return;
        permits--;
        yield piece;
        sent++;
      }
    },
  };

  return {
    llm,
    /** The next answer waits for `release` before each piece. */
    hold() {
      armed = true;
      permits = 0;
      heldAt = -1;
    },
    /** Lets `n` more pieces of the held answer go. */
    release(n = 1) {
      permits += n;
      const w = wake;
      wake = null;
      w?.();
    },
    /** Resolves once the held answer has sent `n` pieces and waits with more to send (still mid-stream). */
    heldAfter(n: number): Promise<void> {
      if (heldAt === n) return Promise.resolve();
      return new Promise((resolve) => heldWaiters.push({ n, resolve }));
    },
  };
}
