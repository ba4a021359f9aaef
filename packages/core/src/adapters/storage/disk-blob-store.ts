import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { AppError } from '../../errors';
import { EdgeMessages } from '../../lib/edge-errors';
import type { BlobStore, StoredBlob } from '../../ports/blob-store';

/** Keys are server-chosen paths: letters, digits, `-`, `_` and `.` (never `.` or `..` segments). */
const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const TMP_PREFIX = '.upload-';

export class BlobTooLargeError extends AppError {
  constructor(readonly maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', EdgeMessages.uploadTooLarge(Math.round(maxBytes / 1024 / 1024)));
  }
}

/** Stores blobs as files under `root`; writes go to a temp file first and are renamed into place. */
export function createDiskBlobStore(root: string): BlobStore {
  const base = resolve(root);

  function pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
      throw new AppError('BAD_REQUEST', `Khóa lưu trữ không hợp lệ: ${key}`);
    }
    return join(base, ...key.split('/'));
  }

  // Temp names: random per store (other processes), then a counter (a random draw per blob costs more).
  const tmpPrefix = `${randomBytes(6).toString('hex')}-`;
  let tmpCount = 0;
  /** Directories known to exist: one `mkdir` per user folder, not per blob (bulk uploads). */
  const made = new Set<string>();
  async function ensureDir(dir: string) {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    if (made.size > 10_000) made.clear();
    made.add(dir);
  }

  return {
    name: `disk (${base})`,
    path: pathOf,

    async write(key, source, { maxBytes }): Promise<StoredBlob> {
      const target = pathOf(key);
      const dir = dirname(target);
      // A stream is consumed once (no retry after a missing folder): its folder is always made.
      if (source instanceof Uint8Array) await ensureDir(dir);
      else await mkdir(dir, { recursive: true });
      const tmp = join(dir, `${TMP_PREFIX}${tmpPrefix}${(tmpCount++).toString(36)}`);
      // Bytes already in memory (bulk uploads of small records): one write, no stream machinery.
      if (source instanceof Uint8Array) {
        if (source.length > maxBytes) throw new BlobTooLargeError(maxBytes);
        try {
          await writeFile(tmp, source, { flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
            // The folder was removed since it was made (a user's data reset): make it again.
            if (e.code !== 'ENOENT') throw e;
            made.delete(dir);
            await ensureDir(dir);
            await writeFile(tmp, source, { flag: 'wx' });
          });
          await rename(tmp, target);
        } catch (e) {
          await rm(tmp, { force: true });
          throw e;
        }
        const sha256 = createHash('sha256').update(source).digest('hex');
        return { key, size: source.length, sha256 };
      }
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new BlobTooLargeError(maxBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(source as Readable, meter, createWriteStream(tmp, { flags: 'wx' }));
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      return { key, size, sha256: hash.digest('hex') };
    },

    read: (key) => readFile(pathOf(key)),

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    /** Every stored key, including abandoned temp files (reconciliation removes those). */
    async list() {
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return [];
          throw e;
        },
      );
      return entries
        .filter((d) => d.isFile())
        .map((d) => relative(base, join(d.parentPath, d.name)).split(sep).join('/'));
    },
  };
}
