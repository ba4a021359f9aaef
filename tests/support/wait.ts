import { vi } from 'vitest';

/**
 * Waits until `check` gives a value (not null/undefined/false/''), re-checking with vitest's `vi.waitFor`.
 * It waits on a state, never a fixed delay; the bound is generous because CI is a loaded 2-core machine.
 */
export function waitUntil<T>(
  check: () => T | null | undefined | false | '' | Promise<T | null | undefined | false | ''>,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await check();
      if (!value) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** A promise the test settles by hand (`open`), to hold a step of the code under test. */
export function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
