/**
 * Group commit: writes submitted for one key while a write for that key is running are merged into the
 * next one. Each transaction in the embedded database costs milliseconds of fixed work (lock, version,
 * statistics upserts), so ten concurrent uploads of small files commit in one round instead of ten.
 * Every caller still waits for its own rows to be committed. When a merged write fails, each submission
 * is retried on its own, so one bad document never fails the others.
 */
export type GroupCommit<T> = {
  submit(key: string, items: T[]): Promise<void>;
  /** Resolves when nothing is queued or running. */
  settle(): Promise<void>;
};

type Submission<T> = {
  items: T[];
  resolve: () => void;
  reject: (e: unknown) => void;
};

export function createGroupCommit<T>(
  write: (key: string, items: T[]) => Promise<void>,
  maxItems: number,
  /** What an item counts towards `maxItems` (default 1). */
  size: (item: T) => number = () => 1,
): GroupCommit<T> {
  const queues = new Map<string, Submission<T>[]>();
  const running = new Map<string, Promise<void>>();

  const sizeOf = (items: T[]) => items.reduce((n, item) => n + size(item), 0);

  /** Takes queued submissions up to `maxItems` rows (always at least one). */
  function take(queue: Submission<T>[]): Submission<T>[] {
    const group: Submission<T>[] = [];
    let rows = 0;
    for (let next = queue[0]; next; next = queue[0]) {
      const n = sizeOf(next.items);
      if (group.length > 0 && rows + n > maxItems) break;
      queue.shift();
      rows += n;
      group.push(next);
    }
    return group;
  }

  async function drain(key: string) {
    const queue = queues.get(key);
    if (!queue) return;
    while (queue.length) {
      const group = take(queue);
      try {
        await write(
          key,
          group.flatMap((s) => s.items),
        );
        for (const s of group) s.resolve();
      } catch (e) {
        const [only] = group;
        if (only && group.length === 1) {
          only.reject(e);
          continue;
        }
        for (const s of group) {
          await write(key, s.items).then(s.resolve, s.reject);
        }
      }
    }
    queues.delete(key);
    running.delete(key);
  }

  return {
    submit(key, items) {
      if (items.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let queue = queues.get(key);
        if (!queue) queues.set(key, (queue = []));
        queue.push({ items, resolve, reject });
        if (!running.has(key)) running.set(key, drain(key));
      });
    },
    async settle() {
      while (running.size) await Promise.all(running.values());
    },
  };
}
