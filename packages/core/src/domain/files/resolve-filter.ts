import type { Deps } from '../../ports/deps';
import type { DeleteFilter, MatchCondition } from '../../ports/vector-index';
import type { FileFilter, FileMatchCondition } from './delete-filter';

/**
 * The contract's filter as the vector index understands it: each `category` condition becomes the
 * `file_id` set of the caller's files in those categories. An empty set is resolved here rather than
 * passed on (index back-ends differ on an empty "any"): in `must` nothing can match (null), in `should`
 * it is one alternative fewer, in `must_not` it excludes nothing — as a null chunk column behaved.
 */
export async function resolveFileFilter(
  deps: Pick<Deps, 'files'>,
  userId: string,
  filter: FileFilter,
): Promise<DeleteFilter | null> {
  const one = async (c: FileMatchCondition): Promise<MatchCondition | null> => {
    if (c.key !== 'category') return { key: c.key, values: c.values };
    const ids = await deps.files.idsInCategories(userId, c.values.map(String), {
      indexedOnly: false,
    });
    return ids.length ? { key: 'file_id', values: ids } : null;
  };
  const all = async (list: FileMatchCondition[]) => Promise.all(list.map(one));
  const must = await all(filter.must);
  if (must.includes(null)) return null;
  const should = (await all(filter.should)).filter((c) => c !== null);
  if (filter.should.length && should.length === 0) return null;
  const mustNot = (await all(filter.mustNot)).filter((c) => c !== null);
  return { must: must as MatchCondition[], should, mustNot };
}
