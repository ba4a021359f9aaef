import { createRequire } from 'node:module';

import type * as Arrow from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';

// @lancedb/lancedb is CommonJS and checks batches against ITS apache-arrow classes: a batch built with
// the ESM build (Arrow.node.mjs) is a different class and fails to serialise, so the CJS build is loaded.
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof Arrow;

function minMax(values: Float32Array | Float64Array | number[]): (x: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return (x) => (span > 0 ? (x - lo) / span : 1);
}

/**
 * LanceDB's linear-combination reranker (Python's `LinearCombinationReranker`; the JS package ships
 * only RRF): `weight·vector + (1 − weight)·text` on min-max normalised scores, the vector side as
 * `1 − distance`, a side that did not return a record counting 0. Written against LanceDB's public
 * `Reranker` interface (rerankHybrid over two Arrow batches, returning one with `_relevance_score`).
 */
export function linearCombinationReranker(weight: number) {
  return {
    rerankHybrid(_query: string, vec: RecordBatch, fts: RecordBatch): Promise<RecordBatch> {
      const scores = new Map<string, number>();
      const vecIds = vec.getChild('id')?.toArray() as string[] | undefined;
      const dist = vec.getChild('_distance')?.toArray() as Float32Array | undefined;
      if (vecIds && dist) {
        const norm = minMax(dist);
        vecIds.forEach((id, i) => scores.set(id, weight * (1 - norm(dist[i]!))));
      }
      const ftsIds = fts.getChild('id')?.toArray() as string[] | undefined;
      const score = fts.getChild('_score')?.toArray() as Float32Array | undefined;
      if (ftsIds && score) {
        const norm = minMax(score);
        ftsIds.forEach((id, i) =>
          scores.set(id, (scores.get(id) ?? 0) + (1 - weight) * norm(score[i]!)),
        );
      }
      const ranked = [...scores].sort((a, b) => b[1] - a[1]);
      const table = arrow.tableFromArrays({
        id: ranked.map(([id]) => id),
        _relevance_score: Float32Array.from(ranked.map(([, s]) => s)),
      });
      const batch = table.batches[0] ?? new arrow.RecordBatch(table.schema);
      return Promise.resolve(batch);
    },
  };
}
