/** `a` ranks before `b`: higher score, then smaller id (the SQL path's `order by score desc, id`). */
function before(acc: Float64Array, ids: string[], a: number, b: number): boolean {
  const d = (acc[a] ?? 0) - (acc[b] ?? 0);
  return d > 0 || (d === 0 && (ids[a] ?? '') < (ids[b] ?? ''));
}

/** The best `limit` slots through a bounded min-heap (the worst kept candidate on top). */
export function topSlots(
  acc: Float64Array,
  touched: ArrayLike<number>,
  ids: string[],
  limit: number,
): number[] {
  const heap: number[] = [];
  const worse = (i: number, j: number) => before(acc, ids, heap[j] ?? 0, heap[i] ?? 0);
  const swap = (i: number, j: number) => {
    const t = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = t;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let t = 0; t < touched.length; t++) {
    const slot = touched[t] ?? 0;
    if (heap.length < limit) {
      heap.push(slot);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (limit > 0 && before(acc, ids, slot, heap[0] ?? 0)) {
      heap[0] = slot;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(acc, ids, a, b) ? -1 : 1));
}
