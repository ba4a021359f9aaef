/**
 * Ranking metrics as BEIR computes them (pytrec_eval / trec_eval): graded gain = the qrel grade (linear,
 * not 2^g − 1), relevant = grade ≥ 1, unjudged documents count as grade 0. The ideal ranking for nDCG
 * is every judged grade in decreasing order. The exponential gain 2^g − 1 (Burges et al.) is offered too:
 * the corpus README's BM25 baseline for the graded MS MARCO set (0.545) was computed with it.
 */

/** corpus id → grade for one query. */
export type Judgements = ReadonlyMap<string, number>;

export type QueryMetrics = {
  ndcg10: number;
  /** nDCG@10 with gain 2^grade − 1; equal to ndcg10 on binary judgements. */
  ndcg10Exp: number;
  recall10: number;
  recall100: number;
  mrr10: number;
};

export type Gain = 'linear' | 'exponential';

const gainOf = (grade: number, gain: Gain) =>
  grade <= 0 ? 0 : gain === 'linear' ? grade : 2 ** grade - 1;

const discount = (rank: number) => 1 / Math.log2(rank + 1);

export function dcgAt(grades: number[], k: number, gain: Gain = 'linear'): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++)
    dcg += gainOf(grades[i]!, gain) * discount(i + 1);
  return dcg;
}

export function ndcgAt(
  ranked: readonly string[],
  judged: Judgements,
  k: number,
  gain: Gain = 'linear',
): number {
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  const idcg = dcgAt(ideal, k, gain);
  if (idcg === 0) return 0;
  return (
    dcgAt(
      ranked.slice(0, k).map((id) => judged.get(id) ?? 0),
      k,
      gain,
    ) / idcg
  );
}

function relevantSet(judged: Judgements, minGrade: number): Set<string> {
  return new Set([...judged].filter(([, g]) => g >= minGrade).map(([id]) => id));
}

export function recallAt(
  ranked: readonly string[],
  judged: Judgements,
  k: number,
  minGrade = 1,
): number {
  const relevant = relevantSet(judged, minGrade);
  if (relevant.size === 0) return 0;
  let found = 0;
  for (const id of new Set(ranked.slice(0, k))) if (relevant.has(id)) found++;
  return found / relevant.size;
}

export function mrrAt(
  ranked: readonly string[],
  judged: Judgements,
  k: number,
  minGrade = 1,
): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if ((judged.get(ranked[i]!) ?? 0) >= minGrade) return 1 / (i + 1);
  }
  return 0;
}

export function queryMetrics(ranked: readonly string[], judged: Judgements): QueryMetrics {
  return {
    ndcg10: ndcgAt(ranked, judged, 10),
    ndcg10Exp: ndcgAt(ranked, judged, 10, 'exponential'),
    recall10: recallAt(ranked, judged, 10),
    recall100: recallAt(ranked, judged, 100),
    mrr10: mrrAt(ranked, judged, 10),
  };
}

/** True when the query has at least one relevant (grade ≥ 1) document, i.e. it can be scored. */
export function isScorable(judged: Judgements): boolean {
  for (const g of judged.values()) if (g >= 1) return true;
  return false;
}

export function meanMetrics(rows: readonly QueryMetrics[]): QueryMetrics {
  const n = rows.length || 1;
  const sum = (f: (m: QueryMetrics) => number) => rows.reduce((s, m) => s + f(m), 0) / n;
  return {
    ndcg10: sum((m) => m.ndcg10),
    ndcg10Exp: sum((m) => m.ndcg10Exp),
    recall10: sum((m) => m.recall10),
    recall100: sum((m) => m.recall100),
    mrr10: sum((m) => m.mrr10),
  };
}

/** Nearest-rank percentile of durations (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
