import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import busboy from 'busboy';
import type { Request } from 'express';

export type SpooledUpload = {
  /** Temp file holding the upload (caller removes it), or null when no `file` part came. */
  path: string | null;
  filename: string;
  fields: Record<string, string>;
  tooLarge: boolean;
};

/**
 * Streams a multipart request to a temp file (never into memory): the single `file` part is written to
 * `dir`, other parts become fields. Past `maxBytes` the file is dropped and `tooLarge` is set; the rest of
 * the body is drained so the client reads the answer.
 */
export async function spoolMultipart(
  req: Request,
  dir: string,
  maxBytes: number,
): Promise<SpooledUpload> {
  await mkdir(dir, { recursive: true });
  const result: SpooledUpload = { path: null, filename: '', fields: {}, tooLarge: false };
  const writes: Promise<void>[] = [];
  const bb = busboy({
    headers: req.headers,
    defParamCharset: 'utf8',
    limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 64 * 1024 },
  });
  bb.on('file', (name, stream, info) => {
    if (name !== 'file' || result.path) {
      stream.resume();
      return;
    }
    const path = join(dir, `upload-${randomBytes(12).toString('hex')}`);
    result.path = path;
    result.filename = info.filename ?? '';
    stream.on('limit', () => {
      result.tooLarge = true;
    });
    writes.push(pipeline(stream, createWriteStream(path)));
  });
  bb.on('field', (name, value) => {
    result.fields[name] = value;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      bb.on('close', resolve);
      bb.on('error', reject);
      req.on('error', reject);
      req.pipe(bb);
    });
    await Promise.all(writes);
  } catch (e) {
    if (result.path) await rm(result.path, { force: true });
    throw e;
  }
  if (result.tooLarge && result.path) {
    await rm(result.path, { force: true });
    result.path = null;
  }
  return result;
}
