import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { eq } from 'drizzle-orm';

import { files } from '../../db/schema/documents';
import type { Deps } from '../../deps';
import { AppError, findAppError } from '../../errors';
import { displayFilename, extensionOf, storageKeyFor } from './file-names';
import { indexChunks } from './index-chunks';
import { parseBudget } from './parsers/budget';
import { isSupportedExtension, parseDocument } from './parsers/parse-document';
import { DocumentError } from './parsers/types';
import { progressBusFor, type IngestProgress } from './progress';
import { commitIndexedFile, discardFile, findIndexedCopy } from './file-rows';

export type IngestDeps = Pick<
  Deps,
  'db' | 'env' | 'log' | 'blobs' | 'embedder' | 'vectorIndex' | 'clock'
>;

export type IngestInput = {
  userId: string;
  /** The client's filename (only its last path component is kept, for display). */
  filename: string;
  source: Readable | AsyncIterable<Uint8Array> | Uint8Array | Blob;
  category?: string | null;
  /** Client-chosen id to follow progress with `files.progress`. */
  uploadId?: string;
  signal?: AbortSignal;
};

export type IngestResult = {
  fileId: string;
  filename: string;
  chunksCount: number;
  category: string | null;
  pageCount: number | null;
  /** True when identical bytes were already indexed for this user (nothing was re-indexed). */
  duplicate: boolean;
};

function toReadable(source: IngestInput['source']): Readable | AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) return Readable.from([source]);
  if (source instanceof Blob) return Readable.fromWeb(source.stream() as WebReadableStream);
  return source;
}

/** The contract's upload error: `{"filename","status":"error","message"}` with the given status. */
export function uploadError(
  code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE',
  filename: string,
  message: string,
  cause?: unknown,
) {
  return new AppError(code, message, { body: { filename, status: 'error', message }, cause });
}

/**
 * Upload → store → parse → chunk → embed → index, for one user's file. Identical bytes already indexed for
 * the user are not re-indexed; a same-name file is replaced only once the new one is fully indexed; any
 * failure leaves nothing behind (no blob, no row, no chunk).
 */
export async function ingestFile(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  const filename = displayFilename(input.filename);
  const ext = extensionOf(filename);
  const category = input.category?.trim() || null;
  const uploadId = input.uploadId ?? randomUUID();
  const bus = progressBusFor(deps.db);
  const report = (p: Omit<IngestProgress, 'uploadId' | 'filename'>) =>
    bus.publish(input.userId, { ...p, uploadId, filename });

  if (!isSupportedExtension(ext)) {
    const message = `Không hỗ trợ định dạng file ${ext}`;
    report({ stage: 'failed', fileId: null, reason: message });
    throw uploadError('BAD_REQUEST', filename, message);
  }

  const fileId = randomUUID();
  const storageKey = storageKeyFor(input.userId, fileId, ext);
  let stored = false;
  let rowCreated = false;
  try {
    const blob = await deps.blobs.write(storageKey, toReadable(input.source), {
      maxBytes: Math.floor(deps.env.MAX_UPLOAD_MB * 1024 * 1024),
    });
    stored = true;

    const existing = await findIndexedCopy(deps.db, input.userId, blob.sha256);
    if (existing) {
      await deps.blobs.delete(storageKey);
      report({ stage: 'indexed', fileId: existing.id, chunks: existing.chunksCount });
      return {
        fileId: existing.id,
        filename,
        chunksCount: existing.chunksCount,
        category: existing.category,
        pageCount: existing.pageCount,
        duplicate: true,
      };
    }

    await deps.db.insert(files).values({
      id: fileId,
      userId: input.userId,
      filename,
      storageKey,
      extension: ext,
      size: blob.size,
      sha256: blob.sha256,
      category,
      status: 'processing',
      stage: 'stored',
    });
    rowCreated = true;
    report({ stage: 'stored', fileId });

    const budget = parseBudget(deps.env.MAX_UPLOAD_MB, deps.env.PARSE_TIMEOUT_S);
    const doc = await parseDocument(deps.blobs.path(storageKey), ext, budget);
    await deps.db
      .update(files)
      .set({ stage: 'parsed', pageCount: doc.pageCount })
      .where(eq(files.id, fileId));
    report({ stage: 'parsed', fileId, pageCount: doc.pageCount });

    const chunksCount = await indexChunks(deps, {
      userId: input.userId,
      fileId,
      filename,
      category,
      doc,
      budget,
      signal: input.signal,
      onProgress: (p) => report({ ...p, fileId, pageCount: doc.pageCount }),
    });

    const outcome = await commitIndexedFile(deps, {
      userId: input.userId,
      fileId,
      filename,
      chunksCount,
      pageCount: doc.pageCount,
      sha256: blob.sha256,
    });
    if (outcome.kind === 'duplicate') {
      // A concurrent upload of the same bytes won the race: answer with it, drop ours.
      await discardFile(deps, { userId: input.userId, fileId, storageKey, row: true });
      report({
        stage: 'indexed',
        fileId: outcome.existing.id,
        chunks: outcome.existing.chunksCount,
      });
      return {
        fileId: outcome.existing.id,
        filename,
        chunksCount: outcome.existing.chunksCount,
        category: outcome.existing.category,
        pageCount: outcome.existing.pageCount,
        duplicate: true,
      };
    }
    report({ stage: 'indexed', fileId, chunks: chunksCount });
    return { fileId, filename, chunksCount, category, pageCount: doc.pageCount, duplicate: false };
  } catch (e) {
    if (stored) {
      await discardFile(deps, { userId: input.userId, fileId, storageKey, row: rowCreated }).catch(
        (cleanupError: unknown) =>
          deps.log.error({ err: cleanupError, fileId }, 'cleanup after a failed upload failed'),
      );
    }
    const error = toUploadError(e, filename);
    if (error.code === 'INTERNAL') deps.log.error({ err: e, fileId, filename }, 'ingestion failed');
    report({ stage: 'failed', fileId: null, reason: error.message });
    throw error;
  }
}

function toUploadError(e: unknown, filename: string): AppError {
  if (e instanceof DocumentError) return uploadError('BAD_REQUEST', filename, e.message, e);
  const app = findAppError(e);
  if (app?.code === 'PAYLOAD_TOO_LARGE')
    return uploadError('PAYLOAD_TOO_LARGE', filename, app.message, e);
  if (app) return app;
  return new AppError('INTERNAL', 'Lỗi khi xử lý tài liệu', { cause: e });
}
