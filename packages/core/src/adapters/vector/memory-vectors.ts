import { storedComponents } from './vector-literal';

/**
 * Embeddings of one user's chunks in process memory, by postings slot, for an exact cosine scan that
 * needs no database round trip. Scores reproduce pgvector's `1 - (a <=> b)` bit for bit: the same stored
 * float4 components (see `storedComponents`), accumulated in single precision in the same order, then
 * divided in double precision, as pgvector's `cosine_distance` does.
 */
export class MemoryVectors {
  private data: Float32Array;
  private norms: Float32Array;

  constructor(readonly dim: number) {
    this.data = new Float32Array(dim * 16);
    this.norms = new Float32Array(16);
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
      const norms = new Float32Array(cap);
      norms.set(this.norms);
      this.norms = norms;
    }
    const base = slot * this.dim;
    let norm = 0;
    for (let i = 0; i < this.dim; i++) {
      const x = Math.fround(vector[i]!);
      this.data[base + i] = x;
      norm = Math.fround(norm + Math.fround(x * x));
    }
    this.norms[slot] = norm;
  }

  /** pgvector's `1 - (stored <=> query)` for one slot; `q` from {@link prepareQuery}. */
  score(slot: number, q: { v: Float32Array; norm: number }): number {
    const { data, dim } = this;
    const base = slot * dim;
    let dot = 0;
    for (let i = 0; i < dim; i++) dot = Math.fround(dot + Math.fround(data[base + i]! * q.v[i]!));
    const similarity = dot / Math.sqrt(this.norms[slot]! * q.norm);
    if (!Number.isFinite(similarity)) return Number.NaN;
    const distance = 1 - Math.min(1, Math.max(-1, similarity));
    return 1 - distance;
  }
}

/** The query as pgvector sees its literal: scaled float4 components and their single-precision norm. */
export function prepareQuery(vector: readonly number[]): { v: Float32Array; norm: number } {
  const v = storedComponents(vector);
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm = Math.fround(norm + Math.fround(v[i]! * v[i]!));
  return { v, norm };
}
