import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from '../vector/sql-rows';

/**
 * Array parameters in Postgres's binary format (`array_send`): sent as bytes, copied as they are by the
 * driver and read by `array_recv` without parsing. The text forms of the chunk insert's big columns
 * (contents, ~2.5 KB vector literals) were encoded character by character in PGlite's JavaScript, then
 * quoted and parsed again inside it; binary they cost one copy.
 */
const TEXT_OID = 25;
/** Built-in types' oids are fixed (pg_type.dat). */
const TSVECTOR_OID = 3614;
/** tsvector limits (ts_type.h): positions per lexeme, and the largest position. */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16383;

function header(count: number, hasNull: boolean, elementOid: number, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(20 + bytes);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(hasNull ? 1 : 0, 4);
  out.writeUInt32BE(elementOid, 8);
  out.writeInt32BE(count, 12);
  out.writeInt32BE(1, 16); // lower bound
  return out;
}

/** A `text[]` parameter (nulls kept). */
export function binaryTextArray(values: readonly (string | null)[]): Buffer {
  const lengths = values.map((v) => (v === null ? -1 : Buffer.byteLength(v, 'utf8')));
  let bytes = 0;
  for (const n of lengths) bytes += 4 + Math.max(n, 0);
  const out = header(values.length, lengths.includes(-1), TEXT_OID, bytes);
  let at = 20;
  values.forEach((v, i) => {
    const n = lengths[i] ?? -1;
    out.writeInt32BE(n, at);
    at += 4;
    if (v !== null) at += out.write(v, at, n, 'utf8');
  });
  return out;
}

/**
 * A `tsvector[]` parameter, each element in `tsvectorsend`'s format (lexeme count; per lexeme its
 * UTF-8 text, a 0 byte, its position count and the positions). The text literal of the same terms
 * (`'term':1,2 …`) went through tsvector's text parser inside the database: twice the time in
 * PGlite (23 against 11 ms per 400 scifact records); `tsvectorrecv` reads this without parsing.
 * Same terms, same positions: each term's frequency is its number of positions, numbered from 1 in
 * the map's order, at most 256 per term and none past 16383 (the text parser folds repeats of 16383
 * into one, as here). Lexemes go in the map's order: `tsvectorrecv` sorts them itself when they are
 * not in its order (a C sort, cheaper than sorting strings here).
 */
export function binaryTsvectorArray(tfs: readonly Map<string, number>[]): Buffer {
  let bound = 0;
  for (const tf of tfs) {
    bound += 8;
    // A UTF-16 unit is at most 3 UTF-8 bytes: no byte-length pass.
    for (const [term, n] of tf) bound += 3 * term.length + 3 + 2 * Math.min(n, MAX_POSITIONS);
  }
  const out = header(tfs.length, false, TSVECTOR_OID, bound);
  let at = 20;
  for (const tf of tfs) {
    const lengthAt = at;
    out.writeInt32BE(tf.size, at + 4);
    at += 8;
    let next = 1;
    for (const [term, n] of tf) {
      at = writeLexeme(out, at, term);
      out[at++] = 0;
      const k = Math.min(n, MAX_POSITIONS);
      const from = Math.min(next, MAX_POSITION);
      const to = Math.min(next + k - 1, MAX_POSITION);
      next += k;
      at = out.writeUInt16BE(to - from + 1, at);
      for (let p = from; p <= to; p++) {
        out[at++] = p >> 8;
        out[at++] = p & 0xff;
      }
    }
    out.writeInt32BE(at - lengthAt - 4, lengthAt);
  }
  return out.subarray(0, at);
}

/** Writes a lexeme's UTF-8 bytes at `at`; ASCII (most terms) byte by byte, without a native call. */
function writeLexeme(out: Buffer, at: number, term: string): number {
  for (let k = 0; k < term.length; k++)
    if (term.charCodeAt(k) >= 0x80) return at + out.write(term, at, 'utf8');
  for (let k = 0; k < term.length; k++) out[at++] = term.charCodeAt(k);
  return at;
}

/** A `vector[]` parameter: each vector as pgvector's `vector_send` writes it (dim, 0, float4 big-endian). */
export function binaryVectorArray(vectors: readonly Float32Array[], vectorOid: number): Buffer {
  let bytes = 0;
  for (const v of vectors) bytes += 8 + 4 * v.length;
  const out = header(vectors.length, false, vectorOid, bytes);
  let at = 20;
  for (const v of vectors) {
    out.writeInt32BE(4 + 4 * v.length, at);
    out.writeInt16BE(v.length, at + 4);
    out.writeInt16BE(0, at + 6);
    at += 8;
    for (let j = 0; j < v.length; j++) at = out.writeFloatBE(v[j] ?? 0, at);
  }
  return out;
}

/** The `vector` type's oid (an extension's type: its oid differs per database), read once per database. */
const vectorOids = new WeakMap<object, Promise<number>>();
export function vectorTypeOid(db: Db, tx: Pick<Db, 'execute'> = db): Promise<number> {
  let oid = vectorOids.get(db);
  if (!oid) {
    oid = queryRows(tx, sql`select 'vector'::regtype::oid::int as oid`).then((r) =>
      Number(r[0]?.oid),
    );
    oid.catch(() => vectorOids.delete(db));
    vectorOids.set(db, oid);
  }
  return oid;
}
