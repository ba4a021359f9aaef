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

/**
 * Fuses the two candidate lists: every candidate must carry both raw scores (the adapter computes each
 * candidate's missing one), keyword max-normalised over the candidates, semantic as clamped cosine, then
 * `alpha·semantic + (1−alpha)·keyword`. Ties keep a stable order by chunk id.
 */
export function fuseHybrid(
  chunks: Map<string, StoredChunk>,
  semantic: Map<string, number>,
  keyword: Map<string, number>,
  alpha: number,
  limit: number,
): SearchHit[] {
  const sem = normaliseSemantic(semantic);
  const kw = normaliseKeyword(keyword);
  const hits: SearchHit[] = [];
  for (const [id, chunk] of chunks) {
    const s = sem.get(id) ?? 0;
    const k = kw.get(id) ?? 0;
    hits.push({
      chunk,
      score: alpha * s + (1 - alpha) * k,
      semanticScore: semantic.get(id) ?? null,
      keywordScore: keyword.get(id) ?? 0,
    });
  }
  hits.sort((a, b) => b.score - a.score || (a.chunk.id < b.chunk.id ? -1 : 1));
  return hits.slice(0, limit);
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
