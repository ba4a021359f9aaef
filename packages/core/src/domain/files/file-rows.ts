import { AppError } from '../../errors';
import type { Deps } from '../../ports/deps';

type RowDeps = Pick<Deps, 'files' | 'blobs' | 'vectorIndex'>;

/**
 * Removes the chunks and blobs of the older same-name files a commit replaced (their rows went in the
 * commit; a crash in between leaves only orphans, which start-up reconciliation removes).
 */
export async function removeReplaced(
  deps: Pick<RowDeps, 'blobs' | 'vectorIndex'>,
  replaced: { userId: string; fileId: string; storageKey: string }[],
): Promise<void> {
  for (const old of replaced) {
    await deps.vectorIndex.deleteByFile(old.userId, old.fileId);
    await deps.blobs.delete(old.storageKey);
  }
}

/** The error of a job whose file was deleted while it was being indexed. */
export const fileGoneError = () =>
  new AppError('CONFLICT', 'Tài liệu đã bị xóa trong khi đang được xử lý');

/**
 * Removes every trace of a file: its chunks (unless the caller knows it has none: `chunks: false`
 * spares the delete transaction), its row (when created) and its blob.
 */
export async function discardFile(
  deps: Pick<RowDeps, 'files' | 'blobs' | 'vectorIndex'>,
  f: { userId: string; fileId: string; storageKey: string; row: boolean; chunks?: boolean },
): Promise<number> {
  const removed = f.chunks === false ? 0 : await deps.vectorIndex.deleteByFile(f.userId, f.fileId);
  if (f.row) await deps.files.delete(f.userId, f.fileId);
  await deps.blobs.delete(f.storageKey);
  return removed;
}
