import type { ChunkFilter, DeleteFilter, MatchCondition } from '../../ports/vector-index';

/** A Qdrant filter condition (the subset this adapter builds). */
export type QdrantCondition =
  | { key: string; match: { value: string | number } | { any: (string | number)[] } }
  | { has_id: string[] };
export type QdrantFilter = {
  must?: QdrantCondition[];
  should?: QdrantCondition[];
  must_not?: QdrantCondition[];
};

/** Payload key of each contract filter key (`source` is the original filename). */
const PAYLOAD_KEY: Record<MatchCondition['key'], string> = {
  file_id: 'file_id',
  source: 'source',
  page: 'page',
};

function values(cond: MatchCondition): (string | number)[] {
  return cond.key === 'page'
    ? cond.values.map(Number).filter((n) => Number.isInteger(n))
    : cond.values.map(String);
}

export function matchCondition(cond: MatchCondition): QdrantCondition {
  return { key: PAYLOAD_KEY[cond.key], match: { any: values(cond) } };
}

export const userCondition = (userId: string): QdrantCondition => ({
  key: 'user_id',
  match: { value: userId },
});

/** The tenant condition plus the search restrictions (empty lists do not restrict). */
export function searchFilter(userId: string, filter?: ChunkFilter, ids?: string[]): QdrantFilter {
  const must: QdrantCondition[] = [userCondition(userId)];
  if (filter?.fileIds?.length)
    must.push(matchCondition({ key: 'file_id', values: filter.fileIds }));
  if (filter?.pages?.length) must.push(matchCondition({ key: 'page', values: filter.pages }));
  if (filter?.filenames?.length)
    must.push(matchCondition({ key: 'source', values: filter.filenames }));
  if (ids) must.push({ has_id: ids });
  return { must };
}

/** The contract's delete filter with the caller's tenant condition always added to `must`. */
export function deleteFilter(userId: string, filter: DeleteFilter): QdrantFilter {
  const out: QdrantFilter = { must: [userCondition(userId), ...filter.must.map(matchCondition)] };
  if (filter.should.length) out.should = filter.should.map(matchCondition);
  if (filter.mustNot.length) out.must_not = filter.mustNot.map(matchCondition);
  return out;
}
