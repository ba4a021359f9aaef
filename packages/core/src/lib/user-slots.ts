/**
 * At most `perUser` holders per user at once, in this process. `take` answers the release (safe to
 * call more than once) or undefined when the user already holds them all: the caller refuses at once.
 */
export function createUserSlots(perUser: number) {
  const held = new Map<string, number>();
  return {
    take(userId: string): (() => void) | undefined {
      const n = held.get(userId) ?? 0;
      if (n >= perUser) return undefined;
      held.set(userId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(userId) ?? 1) - 1;
        if (left > 0) held.set(userId, left);
        else held.delete(userId);
      };
    },
    /** How many slots the user holds (metrics, tests). */
    held: (userId: string): number => held.get(userId) ?? 0,
  };
}

export type UserSlots = ReturnType<typeof createUserSlots>;
