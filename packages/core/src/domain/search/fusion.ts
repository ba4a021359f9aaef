import type { SearchHit, StoredChunk } from '../../ports/vector-index';

export type Scored = { chunk: StoredChunk; score: number };

/** Max-normalises BM25 scores to 0..1 (0 stays 0: a chunk without any query term scores nothing). */
export function normaliseKeyword(scores: Map<string, number>): Map<string, number> {
  let max = 0;
  for (const s of scores.values()) max = Math.max(max, s);
  const out = new Map<string, number>();
  for (const [id, s] of scores) out.set(id, max > 0 ? s / max : 0);
  return out;
}

/**
 * Cosine similarity is already on an absolute scale: clamped to 0..1 it is the semantic score. (Min-max
 * over the candidates would stretch tiny cosine differences to the full 0..1 range and let a weak
 * embedder override clear keyword evidence: on the BEIR sets it cost hybrid 1–2 nDCG points.)
 */
export function normaliseSemantic(scores: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, s] of scores) out.set(id, Math.min(1, Math.max(0, s)));
  return out;
}

/** A fused candidate: `item` is whatever the caller keyed by chunk id (the chunk itself, or just its id). */
export type Fused<T> = Omit<SearchHit, 'chunk'> & { id: string; item: T };

/**
 * Fuses the two candidate lists: every candidate must carry both raw scores (the adapter computes each
 * candidate's missing one), keyword max-normalised over the candidates, semantic as clamped cosine, then
 * `alpha·semantic + (1−alpha)·keyword`. Ties keep a stable order by chunk id.
 */
export function fuseScores<T>(
  candidates: Map<string, T>,
  semantic: Map<string, number>,
  keyword: Map<string, number>,
  alpha: number,
  limit: number,
): Fused<T>[] {
  const sem = normaliseSemantic(semantic);
  const kw = normaliseKeyword(keyword);
  const fused: Fused<T>[] = [];
  for (const [id, item] of candidates) {
    fused.push({
      id,
      item,
      score: alpha * (sem.get(id) ?? 0) + (1 - alpha) * (kw.get(id) ?? 0),
      semanticScore: semantic.get(id) ?? null,
      keywordScore: keyword.get(id) ?? 0,
    });
  }
  fused.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return fused.slice(0, limit);
}

/** {@link fuseScores} over stored chunks, as search hits. */
export function fuseHybrid(
  chunks: Map<string, StoredChunk>,
  semantic: Map<string, number>,
  keyword: Map<string, number>,
  alpha: number,
  limit: number,
): SearchHit[] {
  return fuseScores(chunks, semantic, keyword, alpha, limit).map(
    ({ id: _id, item, ...scores }) => ({
      chunk: item,
      ...scores,
    }),
  );
}

/** The fusion weight an embedder that declares none gets: its cosine taken at face value. */
export const DEFAULT_FUSION_WEIGHT = 1;

function checkWeight(weight: number): void {
  if (!(weight > 0 && weight <= 1)) {
    throw new RangeError(`an embedder's fusion weight must be in (0, 1], got ${weight}`);
  }
}

/**
 * The alpha that, applied to the raw normalised scores (clamped cosine, max-normalised BM25), ranks
 * exactly like `alpha·(weight·cosine) + (1−alpha)·keyword`: both are the same sum up to the positive
 * factor {@link calibratedScale}. The vector indexes fuse with it and need not know the embedder.
 * alpha 0 and 1 stay the pure orders.
 */
export function effectiveAlpha(alpha: number, weight: number): number {
  checkWeight(weight);
  const semantic = alpha * weight;
  return semantic / (semantic + (1 - alpha));
}

/** The factor from a score fused with {@link effectiveAlpha} to `alpha·(weight·cosine) + (1−alpha)·keyword`. */
export function calibratedScale(alpha: number, weight: number): number {
  checkWeight(weight);
  return alpha * weight + 1 - alpha;
}
