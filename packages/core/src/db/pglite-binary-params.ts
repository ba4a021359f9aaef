import type { PGlite } from '@electric-sql/pglite';

/**
 * Makes PGlite send byte parameters (Buffer, typed arrays) as they are, in binary format, as
 * node-postgres does with Buffers; every other value is serialised as before. PGlite serialises by the
 * parameter's type and has no binary path of its own, yet its protocol writer sends byte values in
 * binary: the chunk insert's binary `vector[]` and `text[]` (`adapters/postgres/binary-arrays.ts`) rely on it.
 */
export function sendBytesAsBinary(pg: PGlite): void {
  const own = pg.serializers;
  // PGlite's protocol writer takes the serialised value as it is: a byte value goes out in binary.
  const binaryFirst = new Proxy<Record<string, (x: unknown) => string | ArrayBufferView>>(own, {
    get: (target, oid: string) => {
      const serialize = target[oid];
      return (x: unknown) => {
        if (ArrayBuffer.isView(x)) return x;
        return serialize ? serialize(x) : String(x);
      };
    },
  });
  pg.serializers = binaryFirst as typeof own;
}
