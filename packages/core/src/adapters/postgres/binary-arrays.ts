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
