/**
 * A pgvector text literal with integer components: the vector is scaled so its largest component is
 * ±1,000,000 and rounded. Cosine similarity ignores scale, the rounding error is ~1e-6 of the largest
 * component, integers stay exact in float4, and pgvector parses integers several times faster than
 * decimals (the decimal parse dominated insert time in embedded PGlite).
 */
export function vectorLiteral(v: readonly number[]): string {
  return literalOf(v);
}

/**
 * The components pgvector stores for {@link vectorLiteral}: the same scaled integers, as float4. The
 * in-memory copy computes cosine from exactly these values.
 */
export function storedComponents(v: readonly number[]): Float32Array {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  if (max === 0 || !Number.isFinite(max)) return new Float32Array(v.length);
  const scale = 1e6 / max;
  return Float32Array.from(v, (x) => Math.round(x * scale));
}

function literalOf(v: readonly number[]): string {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  if (max === 0 || !Number.isFinite(max)) return `[${v.map(() => 0).join(',')}]`;
  const scale = 1e6 / max;
  let out = '';
  for (const x of v) out += (out ? ',' : '') + Math.round(x * scale);
  return `[${out}]`;
}
