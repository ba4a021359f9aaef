/**
 * At most `size` holders at once and `maxWaiting` more in line, first come first served; beyond the
 * line `take` answers false at once (the caller refuses: busy). `give` hands the slot to the next.
 */
export function createSlots(size: number, maxWaiting = Number.POSITIVE_INFINITY) {
  let free = size;
  const line: (() => void)[] = [];
  return {
    async take(): Promise<boolean> {
      if (free > 0) {
        free--;
        return true;
      }
      if (line.length >= maxWaiting) return false;
      await new Promise<void>((resolve) => line.push(resolve));
      return true;
    },
    give(): void {
      const next = line.shift();
      if (next) next();
      else free++;
    },
  };
}

/** `fn` run while holding a slot of `slots` (which must have no line limit: it always gets one). */
export async function withSlot<T>(
  slots: ReturnType<typeof createSlots>,
  fn: () => Promise<T>,
): Promise<T> {
  await slots.take();
  try {
    return await fn();
  } finally {
    slots.give();
  }
}
