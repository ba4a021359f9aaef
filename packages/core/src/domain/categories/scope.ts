import type { Deps } from '../../ports/deps';

/**
 * Ids of the caller's files in any of these categories (stored trimmed, so a value is compared trimmed).
 * `indexedOnly` limits it to listed files (asking); deletion also reaches files still being indexed, as
 * a chunk-level filter did.
 */
export async function fileIdsInCategories(
  deps: Pick<Deps, 'files'>,
  userId: string,
  categories: (string | number)[],
  opts: { indexedOnly: boolean },
): Promise<string[]> {
  return deps.files.idsInCategories(userId, categories.map(String), opts);
}
