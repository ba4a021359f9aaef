import type { Deps } from '../../ports/deps';
import type { CategoryStatsResponse } from './schemas';

/**
 * The caller's indexed files by category, counted in the database (one grouped query). Files without a
 * category count in `total_documents` and `uncategorized_documents` but are no category of their own, so
 * a real category named "uncategorized" can never be confused with them.
 */
export async function categoryStats(
  deps: Pick<Deps, 'files'>,
  userId: string,
): Promise<CategoryStatsResponse> {
  const rows = await deps.files.countByCategory(userId);
  let total = 0;
  let uncategorized = 0;
  const named: { name: string; n: number }[] = [];
  for (const r of rows) {
    const n = r.count;
    total += n;
    if (r.category === null) uncategorized += n;
    else named.push({ name: r.category, n });
  }
  named.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    total_documents: total,
    documents_by_category: Object.fromEntries(named.map((c) => [c.name, c.n])),
    categories: named.map((c) => c.name),
    uncategorized_documents: uncategorized,
  };
}
