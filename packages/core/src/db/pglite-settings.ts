/**
 * Postgres settings every embedded PGlite starts with (the worker thread's and the in-process one).
 *
 * `wal_init_zero=off`: a new 16 MB WAL segment is created by writing its last byte instead of filling
 * it with zeros. PGlite's in-memory file system grows a file by copying it (×1.125 per step), so
 * zero-filling a segment cost ~20 allocations and copies of up to 16 MB each; on disk it is 16 MB of
 * writes per segment. Nothing relies on the zeros (Postgres reads a segment only up to its valid
 * records), which is why the setting exists.
 */
export const PGLITE_FIXED_SETTINGS: Readonly<Record<string, string>> = { wal_init_zero: 'off' };

/** `settings` as PGlite start parameters (`-c name=value`), after the fixed ones. */
export const pgliteStartFlags = (settings: Readonly<Record<string, string>> = {}): string[] =>
  Object.entries({ ...PGLITE_FIXED_SETTINGS, ...settings }).flatMap(([k, v]) => [
    '-c',
    `${k}=${v}`,
  ]);
