import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import busboy from 'busboy';
import type { Request } from 'express';

import { EdgeMessages, uploadError } from '@rag/core';

export type SpooledUpload = {
  /** Temp file holding the upload (caller removes it), or null when no `file` part came. */
  path: string | null;
  filename: string;
  fields: Record<string, string>;
  tooLarge: boolean;
};

/** The multipart body could not be read (malformed, truncated, or the spool write failed). */
export class MultipartError extends Error {
  constructor(
    readonly filename: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'MultipartError';
  }
}

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
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 64 * 1024 },
    });
  } catch (e) {
    // e.g. no boundary in the content type
    throw new MultipartError('', e);
  }
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
    const write = pipeline(stream, createWriteStream(path));
    // Observed below; without this a form that fails first (truncated body) leaves it unhandled.
    write.catch(() => undefined);
    writes.push(write);
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
    const failed = (await Promise.allSettled(writes)).find((w) => w.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (e) {
    req.unpipe(bb);
    req.resume();
    await Promise.allSettled(writes);
    if (result.path) await rm(result.path, { force: true });
    throw new MultipartError(result.filename, e);
  }
  if (result.tooLarge && result.path) {
    await rm(result.path, { force: true });
    result.path = null;
  }
  return result;
}

// busboy's messages, in the contract's words.
const FORM_PROBLEMS: [RegExp, string][] = [
  [/unexpected end of (form|file)/i, 'nội dung bị cắt trước ranh giới kết thúc'],
  [/boundary not found/i, 'thiếu boundary trong Content-Type'],
  [/malformed (part )?header/i, 'phần đầu (header) của một phần không hợp lệ'],
];

/** The 400 upload error for a body that could not be read; a disk fault keeps its own cause. */
export function multipartFailure(e: unknown) {
  if (!(e instanceof MultipartError)) return e;
  const cause = e.cause as NodeJS.ErrnoException | undefined;
  if (cause && typeof cause.code === 'string' && cause.syscall) return cause;
  const known = FORM_PROBLEMS.find(([re]) => re.test(e.message));
  const why = known ? known[1] : 'không đọc được nội dung';
  return uploadError('BAD_REQUEST', e.filename, `${EdgeMessages.multipartInvalid}: ${why}`, e);
}
