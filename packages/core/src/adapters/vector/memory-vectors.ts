import { storedComponents } from './vector-literal';

/**
 * Embeddings of one user's chunks in process memory, by postings slot, for an exact cosine scan that
 * needs no database round trip. The components are the float4 values pgvector stores (see
 * `storedComponents`); sums run in double precision, so scores agree with pgvector's single-precision
 * `1 - (a <=> b)` to ~1e-6, and rankings except between near-ties.
 *
 * Stored component-major (component j of every slot is contiguous): a scan of all slots walks one
 * contiguous column per non-zero query component, instead of gathering from every vector. A hashing
 * embedder's query sets about a tenth of its components, so the scan reads a tenth of the data.
 */
export class MemoryVectors {
  /** Component j of slot s at `j * cap + s`. */
  private cols: Float32Array;
  private norms: Float64Array;
  private cap = 16;
  private slots = 0;

  constructor(readonly dim: number) {
    this.cols = new Float32Array(dim * this.cap);
    this.norms = new Float64Array(this.cap);
  }

  get bytes(): number {
    return this.cols.byteLength + this.norms.byteLength;
  }

  set(slot: number, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) throw new Error('vector dimension mismatch');
    if (slot >= this.cap) this.grow(Math.max(slot + 1, this.cap * 2));
    let norm = 0;
    for (let j = 0; j < this.dim; j++) {
      // Stored as float4, then squared in double precision, as the dense scan did.
      const x = Math.fround(vector[j] ?? 0);
      this.cols[j * this.cap + slot] = x;
      norm += x * x;
    }
    this.norms[slot] = Math.sqrt(norm);
    this.slots = Math.max(this.slots, slot + 1);
  }

  private grow(cap: number) {
    const cols = new Float32Array(this.dim * cap);
    for (let j = 0; j < this.dim; j++)
      cols.set(this.cols.subarray(j * this.cap, j * this.cap + this.slots), j * cap);
    this.cols = cols;
    const norms = new Float64Array(cap);
    norms.set(this.norms);
    this.norms = norms;
    this.cap = cap;
  }

  private cosine(product: number, slot: number, q: PreparedQuery): number {
    const similarity = product / ((this.norms[slot] ?? 0) * q.norm);
    return Number.isFinite(similarity) ? Math.min(1, Math.max(-1, similarity)) : Number.NaN;
  }

  /** Cosine similarity of one slot with a query from {@link prepareQuery} (NaN for a zero vector). */
  score(slot: number, q: PreparedQuery): number {
    let product = 0;
    for (const j of q.components) product += (this.cols[j * this.cap + slot] ?? 0) * (q.v[j] ?? 0);
    return this.cosine(product, slot, q);
  }

  /** Cosine similarity of slots 0 … n − 1 with the query, column by column (NaN for zero vectors). */
  scoreAll(q: PreparedQuery, n: number): Float64Array {
    const count = Math.min(n, this.slots);
    const out = new Float64Array(n);
    const { cols, cap } = this;
    for (const j of q.components) {
      const w = q.v[j] ?? 0;
      const base = j * cap;
      for (let s = 0; s < count; s++) out[s] = (out[s] ?? 0) + (cols[base + s] ?? 0) * w;
    }
    for (let s = 0; s < n; s++) out[s] = this.cosine(out[s] ?? 0, s, q);
    return out;
  }

  /**
   * {@link scoreAll} for the given slots only (the others stay 0): a question about a few files of a large
   * library scans their slots' stretch of each column, not the whole column. A file's slots are mostly
   * consecutive, so the reads stay nearly sequential.
   */
  scoreSlots(q: PreparedQuery, n: number, slots: Int32Array): Float64Array {
    const out = new Float64Array(n);
    const { cols, cap } = this;
    for (const j of q.components) {
      const w = q.v[j] ?? 0;
      const base = j * cap;
      for (const s of slots) if (s < this.slots) out[s] = (out[s] ?? 0) + (cols[base + s] ?? 0) * w;
    }
    for (const s of slots) out[s] = this.cosine(out[s] ?? 0, s, q);
    return out;
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
    s0 += (a[ai + i] ?? 0) * (b[bi + i] ?? 0);
    s1 += (a[ai + i + 1] ?? 0) * (b[bi + i + 1] ?? 0);
    s2 += (a[ai + i + 2] ?? 0) * (b[bi + i + 2] ?? 0);
    s3 += (a[ai + i + 3] ?? 0) * (b[bi + i + 3] ?? 0);
  }
  for (; i < dim; i++) s0 += (a[ai + i] ?? 0) * (b[bi + i] ?? 0);
  return s0 + s1 + s2 + s3;
}

/** A query ready for scans: its float4 components, their norm, and the indexes of the non-zero ones. */
export type PreparedQuery = { v: Float32Array; norm: number; components: Int32Array };

/** The query as pgvector sees its literal: the scaled float4 components, and their norm. */
export function prepareQuery(vector: readonly number[]): PreparedQuery {
  const v = storedComponents(vector);
  const components: number[] = [];
  v.forEach((x, i) => {
    // Zero components add nothing to a dot product.
    if (x !== 0) components.push(i);
  });
  return { v, norm: Math.sqrt(dot(v, 0, v, 0, v.length)), components: Int32Array.from(components) };
}
