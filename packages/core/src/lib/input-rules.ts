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
  const path = nulPath(value, [], 0);
  return path ? { code: 'custom', path, message: MSG_NUL_CHARACTER } : null;
}

function nulPath(
  value: unknown,
  path: (string | number)[],
  depth: number,
): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH * 2) return null;
  if (typeof File !== 'undefined' && value instanceof File) {
    return value.name.includes('\0') ? path : null;
  }
  if (value instanceof FormData) {
    for (const [key, entry] of value.entries()) {
      const found = key.includes('\0') ? [...path, key] : nulPath(entry, [...path, key], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
    return null;
  for (const [key, entry] of Object.entries(value)) {
    const found = key.includes('\0') ? [...path, key] : nulPath(entry, [...path, key], depth + 1);
    if (found) return found;
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
