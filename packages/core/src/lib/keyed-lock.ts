/**
 * Named critical sections of one process: `run(keys, fn)` waits for every earlier run sharing a key.
 * A run takes its place behind all its keys at once, so two runs sharing several keys cannot deadlock.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<void>>();
  return async function run<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const mine = [...new Set(keys)];
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    const before = mine.map((k) => tails.get(k) ?? Promise.resolve());
    for (const k of mine) tails.set(k, done);
    await Promise.all(before);
    try {
      return await fn();
    } finally {
      release();
      for (const k of mine) if (tails.get(k) === done) tails.delete(k);
    }
  };
}
