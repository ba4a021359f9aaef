const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** File ids are UUIDs stored lower-case; any case is accepted, other strings stay as given (and miss). */
export function normaliseFileIds(ids: string[]): string[] {
  return [...new Set(ids.map((id) => (UUID.test(id) ? id.toLowerCase() : id)))];
}
