import type { Embedder } from '../../ports/embedder';

/** A query's vector: the one the caller brought, else the embedder's (which must return one per text). */
export async function queryVectorOf(
  embedder: Embedder,
  q: { text: string; vector?: number[] | null },
): Promise<number[]> {
  if (q.vector) return q.vector;
  const [v] = await embedder.embed([q.text], { kind: 'query' });
  if (!v) throw new Error(`embedder ${embedder.id} returned no vector for the query`);
  return v;
}
