import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import { parseDeleteFilter } from './delete-filter';
import { resolveFileFilter } from './resolve-filter';
import { discardFile } from './file-rows';
import { storedFilename } from './file-names';
import type {
  FileDeleteResponse,
  FileListResponse,
  FileStatus,
  ResetCollectionResponse,
} from './schemas';

type FilesDeps = Pick<Deps, 'files' | 'blobs' | 'vectorIndex' | 'embedder'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's indexed files, newest first, from the database only. */
export async function listFiles(
  deps: Pick<Deps, 'files'>,
  userId: string,
): Promise<FileListResponse> {
  const rows = await deps.files.listIndexed(userId);
  return {
    total_files: rows.length,
    files: rows.map((r) => ({
      filename: r.filename,
      path: r.storageKey,
      size: r.size,
      upload_date: r.createdAt.toISOString(),
      extension: r.extension,
      category: r.category,
      id: r.id,
    })),
  };
}

/** Deletes one of the caller's files (by original filename or file_id): its chunks, blob and row. */
export async function deleteFile(
  deps: FilesDeps,
  userId: string,
  nameOrId: string,
): Promise<FileDeleteResponse> {
  // Uploads still being indexed too: their job finds its file gone at its commit and removes what
  // it wrote (as after a reset), instead of listing a file the user was told did not exist.
  const rows = await deps.files.find(userId, {
    // As it was stored: a name sent in full (over 255 characters) finds its shortened row.
    filename: storedFilename(nameOrId),
    ...(UUID.test(nameOrId) ? { id: nameOrId } : {}),
  });
  if (rows.length === 0) throw new AppError('NOT_FOUND', `File ${nameOrId} không tồn tại`);
  let removed = 0;
  for (const row of rows) {
    removed += await discardFile(deps, {
      userId,
      fileId: row.id,
      storageKey: row.storageKey,
      row: true,
    });
  }
  return {
    filename: nameOrId,
    status: 'success',
    message: `Đã xóa file ${nameOrId} và ${removed} index liên quan`,
    removed_points: removed,
  };
}

/** The logical collection name of a user (one shared physical store, one tenant per user). */
export const collectionName = (userId: string) => `user_${userId}`;

/** Removes all of the caller's chunks, file rows and stored files, so nothing listed points at nothing. */
export async function resetCollection(
  deps: FilesDeps,
  userId: string,
): Promise<ResetCollectionResponse> {
  const rows = await deps.files.deleteAll(userId);
  await deps.vectorIndex.reset(userId);
  for (const row of rows) await deps.blobs.delete(row.storageKey);
  return {
    status: 'success',
    message: `Đã xóa và tạo lại collection ${collectionName(userId)}`,
    vector_size: deps.embedder.dimensions,
  };
}

/** Deletes the caller's chunks matching a Qdrant-style filter; the caller's user condition is always added. */
export async function deleteByFilter(deps: FilesDeps, userId: string, body: { filter?: unknown }) {
  const filter = await resolveFileFilter(deps, userId, parseDeleteFilter(body));
  const removed = filter ? await deps.vectorIndex.deleteByFilter(userId, filter) : 0;
  if (removed > 0) await dropEmptiedFiles(deps, userId);
  return { status: 'success' as const, message: `Đã xóa ${removed} điểm dữ liệu thành công.` };
}

/** Stage of one of the caller's files (404 when it is not theirs). */
export async function fileStatus(
  deps: Pick<Deps, 'files'>,
  userId: string,
  fileId: string,
): Promise<FileStatus> {
  if (!UUID.test(fileId)) throw new AppError('NOT_FOUND', `File ${fileId} không tồn tại`);
  const row = await deps.files.get(userId, fileId);
  if (!row) throw new AppError('NOT_FOUND', `File ${fileId} không tồn tại`);
  return {
    file_id: row.id,
    filename: row.filename,
    status: row.status,
    stage: row.stage,
    chunks_count: row.chunksCount,
    page_count: row.pageCount,
    error: row.error,
  };
}

/** Files whose every chunk a filter deleted are removed too (row and blob), so the list stays truthful. */
async function dropEmptiedFiles(deps: FilesDeps, userId: string): Promise<void> {
  const withChunks = new Set(await deps.vectorIndex.fileIds(userId));
  const rows = await deps.files.listIndexed(userId);
  for (const row of rows) {
    if (!withChunks.has(row.id))
      await discardFile(deps, { userId, fileId: row.id, storageKey: row.storageKey, row: true });
  }
}
