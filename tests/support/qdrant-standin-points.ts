/**
 * Qdrant's point semantics for the stand-in: filters (array payloads match when any element does,
 * `is_empty` covers missing, null and []), payload selectors, cosine and sparse scoring.
 */

export type Condition = {
  key?: string;
  match?: { value?: unknown; any?: unknown[] };
  has_id?: (string | number)[];
  is_empty?: { key: string };
};
export type Filter = { must?: Condition[]; should?: Condition[]; must_not?: Condition[] };
export type Sparse = { indices: number[]; values: number[] };
export type Point = {
  id: string;
  dense: number[];
  sparse: Sparse | null;
  payload: Record<string, unknown>;
};

/** A payload field's values: an array field holds each of its elements. */
export function fieldValues(point: Point, key: string): unknown[] {
  const value = point.payload[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function matches(point: Point, c: Condition): boolean {
  if (c.has_id) return c.has_id.map(String).includes(point.id);
  if (c.is_empty) return fieldValues(point, c.is_empty.key).length === 0;
  if (!c.key || !c.match) return false;
  const values = fieldValues(point, c.key);
  if ('value' in c.match) return values.includes(c.match.value);
  if (c.match.any) return values.some((v) => c.match!.any!.includes(v));
  return false;
}

export function passes(point: Point, f: Filter | undefined): boolean {
  if (!f) return true;
  if (f.must && !f.must.every((c) => matches(point, c))) return false;
  if (f.should && f.should.length && !f.should.some((c) => matches(point, c))) return false;
  if (f.must_not && f.must_not.some((c) => matches(point, c))) return false;
  return true;
}

/** `with_payload`: true / false, a list of keys, `{ include }` or `{ exclude }`. */
export function selectPayload(
  payload: Record<string, unknown>,
  selector: unknown,
): Record<string, unknown> | undefined {
  if (selector === undefined || selector === false || selector === null) return undefined;
  if (selector === true) return payload;
  const include = Array.isArray(selector)
    ? (selector as string[])
    : (selector as { include?: string[] }).include;
  if (include)
    return Object.fromEntries(Object.entries(payload).filter(([k]) => include.includes(k)));
  const exclude = (selector as { exclude?: string[] }).exclude ?? [];
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !exclude.includes(k)));
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Sparse dot product; null when the vectors share no index (Qdrant never returns such points). With
 * the `idf` modifier each query value is first multiplied by ln(1 + (N − df + 0.5) / (df + 0.5)), N and
 * df counted over every point of the collection (the stand-in is one shard).
 */
export function sparseScore(
  query: Sparse,
  doc: Sparse,
  idf: { df: Map<number, number>; n: number } | null,
): number | null {
  let score = 0;
  let overlap = false;
  for (let i = 0; i < query.indices.length; i++) {
    const j = doc.indices.indexOf(query.indices[i]!);
    if (j === -1) continue;
    overlap = true;
    const d = idf?.df.get(query.indices[i]!) ?? 0;
    const weight = idf ? Math.log(1 + (idf.n - d + 0.5) / (d + 0.5)) : 1;
    score += weight * query.values[i]! * doc.values[j]!;
  }
  return overlap ? score : null;
}

/** Facet counts: each point counts once per distinct value; most frequent first, then by value. */
export function facetHits(points: Point[], key: string, limit: number) {
  const counts = new Map<unknown, number>();
  for (const p of points) {
    for (const v of new Set(fieldValues(p, key))) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)))
    .slice(0, limit);
}
