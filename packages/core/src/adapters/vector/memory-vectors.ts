import { storedComponents } from './vector-literal';

/**
 * Embeddings of one user's chunks in process memory, by postings slot, for an exact cosine scan that
 * needs no database round trip. The components are the float4 values pgvector stores (see
 * `storedComponents`); the scan accumulates in double precision (4 lanes), so scores agree with
 * pgvector's single-precision `1 - (a <=> b)` to ~1e-6, and rankings except between near-ties.
 */
export class MemoryVectors {
  private data: Float32Array;
  private norms: Float64Array;

  constructor(readonly dim: number) {
    this.data = new Float32Array(dim * 16);
    this.norms = new Float64Array(16);
  }

  get bytes(): number {
    return this.data.byteLength + this.norms.byteLength;
  }

  set(slot: number, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) throw new Error('vector dimension mismatch');
    if ((slot + 1) * this.dim > this.data.length) {
      const cap = Math.max(slot + 1, this.norms.length * 2);
      const data = new Float32Array(cap * this.dim);
      data.set(this.data);
      this.data = data;
      const norms = new Float64Array(cap);
      norms.set(this.norms);
      this.norms = norms;
    }
    const base = slot * this.dim;
    this.data.set(vector, base);
    this.norms[slot] = Math.sqrt(dot(this.data, base, this.data, 0, this.dim, base));
  }

  /** Cosine similarity of one slot with a query from {@link prepareQuery} (NaN for a zero vector). */
  score(slot: number, q: { v: Float32Array; norm: number }): number {
    const similarity =
      dot(this.data, slot * this.dim, q.v, 0, this.dim) / (this.norms[slot]! * q.norm);
    return Number.isFinite(similarity) ? Math.min(1, Math.max(-1, similarity)) : Number.NaN;
  }
}

/** Dot product of `dim` components of `a` from `ai` and `b` from `bi` (b defaults to a itself). */
function dot(
  a: Float32Array,
  ai: number,
  b: Float32Array,
  bi: number,
  dim: number,
  self = -1,
): number {
  if (self >= 0) {
    b = a;
    bi = self;
  }
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dim; i += 4) {
    s0 += a[ai + i]! * b[bi + i]!;
    s1 += a[ai + i + 1]! * b[bi + i + 1]!;
    s2 += a[ai + i + 2]! * b[bi + i + 2]!;
    s3 += a[ai + i + 3]! * b[bi + i + 3]!;
  }
  for (; i < dim; i++) s0 += a[ai + i]! * b[bi + i]!;
  return s0 + s1 + s2 + s3;
}

/** The query as pgvector sees its literal: the scaled float4 components, and their norm. */
export function prepareQuery(vector: readonly number[]): { v: Float32Array; norm: number } {
  const v = storedComponents(vector);
  return { v, norm: Math.sqrt(dot(v, 0, v, 0, v.length)) };
}
