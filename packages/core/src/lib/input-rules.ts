/**
 * Edge rules every request input obeys, whatever the route or transport (REST and tRPC both apply
 * them): no U+0000 in any string (Postgres text cannot hold it, so it would fail deep inside a query)
 * and a bounded JSON nesting depth (deep structures cost stack in every recursive consumer).
 */
export const MSG_NUL_CHARACTER = 'Chuỗi không được chứa ký tự NUL (U+0000)';
export const MAX_JSON_DEPTH = 64;

/** A zod-style issue for the first string (value or key) holding U+0000, or null. */
export function findNulCharacter(
  value: unknown,
): { code: 'custom'; path: (string | number)[]; message: string } | null {
  const path = nulPath(value);
  return path ? { code: 'custom', path, message: MSG_NUL_CHARACTER } : null;
}

type Pending = { value: unknown; path: (string | number)[]; depth: number };

/**
 * Depth-first, in document order, each object visited once: an input is a tree when it comes from
 * JSON, but a structure built in-process may share or cycle, and a walk that revisits shared parts
 * doubles its cost per level of sharing.
 */
function nulPath(root: unknown): (string | number)[] | null {
  const seen = new WeakSet<object>();
  const stack: Pending[] = [{ value: root, path: [], depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\0')) return path;
      continue;
    }
    if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH * 2) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    if (typeof File !== 'undefined' && value instanceof File) {
      if (value.name.includes('\0')) return path;
      continue;
    }
    const entries: [string | number, unknown][] =
      value instanceof FormData
        ? [...value.entries()]
        : Array.isArray(value)
          ? value.map((v, i): [number, unknown] => [i, v])
          : Object.getPrototypeOf(value) === Object.prototype ||
              Object.getPrototypeOf(value) === null
            ? Object.entries(value)
            : [];
    // Pushed last-first so that values are reached in order; a key holding U+0000 stands for
    // its entry as a string would.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, entry] = entries[i] ?? [0, null];
      const nulKey = typeof key === 'string' && key.includes('\0');
      stack.push({ value: nulKey ? key : entry, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Deepest `[`/`{` nesting of a JSON text, counted without parsing (strings skipped); stops counting
 * once past `limit` so a hostile body costs one linear scan.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
