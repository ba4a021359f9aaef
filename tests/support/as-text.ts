/**
 * A request value (query parameter, JWT claim, JSON field) as text: strings as they are, numbers and
 * booleans as written, anything else as its JSON (never `[object Object]`). For the stand-ins.
 */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}
