/**
 * The last `size` results of a pure function, by key (first in, first out): for values the same
 * inputs keep asking for, such as the passages and questions 50 concurrent asks share.
 */
export function createRecentCache<K, V>(size: number) {
  const kept = new Map<K, V>();
  return (key: K, compute: (key: K) => V): V => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = compute(key);
    if (kept.size >= size) kept.delete(kept.keys().next().value as K);
    kept.set(key, value);
    return value;
  };
}
