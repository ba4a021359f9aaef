/**
 * A pgvector text literal with integer components: the vector is scaled so its largest component is
 * ±1,000,000 and rounded. Cosine similarity ignores scale, the rounding error is ~1e-6 of the largest
 * component, integers stay exact in float4, and pgvector parses integers several times faster than
 * decimals (the decimal parse dominated insert time in embedded PGlite).
 */
export function vectorLiteral(v: readonly number[]): string {
  return storedLiteral(storedComponents(v));
}

/** {@link vectorLiteral} of components already scaled by {@link storedComponents}. */
export function storedLiteral(stored: Float32Array): string {
  // Integers print without a fraction; a typed array's native join is ~2.5× faster than concatenation.
  return `[${stored.join(',')}]`;
}

/**
 * The components pgvector stores for {@link vectorLiteral}: the same scaled integers, as float4. The
 * in-memory copy computes cosine from exactly these values.
 */
export function storedComponents(v: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] ?? 0));
  const out = new Float32Array(v.length);
  if (max === 0 || !Number.isFinite(max)) return out;
  const scale = 1e6 / max;
  // A plain loop: Float32Array.from with a map function costs several times more.
  for (let i = 0; i < v.length; i++) out[i] = Math.round((v[i] ?? 0) * scale);
  return out;
}
