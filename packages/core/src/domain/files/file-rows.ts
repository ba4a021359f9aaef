import type { Deps } from '../../ports/deps';
import type { FileRecord } from '../../ports/file-store';
import { AppError } from '../../errors';

type RowDeps = Pick<Deps, 'files' | 'blobs' | 'vectorIndex' | 'log' | 'clock'>;

/**
 * Marks a fully indexed file as `indexed` and, in the same transaction, removes the user's older files
 * of the same name; their chunks and blobs are deleted right after (a crash in between leaves only
 * orphans, which start-up reconciliation removes). A concurrent identical upload that committed first
 * makes this one a duplicate.
 */
export async function commitIndexedFile(
  deps: RowDeps,
  f: {
    userId: string;
    fileId: string;
    filename: string;
    chunksCount: number;
    pageCount: number | null;
    sha256: string;
  },
): Promise<{ kind: 'committed' } | { kind: 'duplicate'; existing: FileRecord }> {
  const outcome = await deps.files.commitIndexed({ ...f, indexedAt: deps.clock.now() });
  if (outcome.kind === 'gone')
    throw new AppError('CONFLICT', 'Tài liệu đã bị xóa trong khi đang được xử lý');
  if (outcome.kind === 'duplicate') return outcome;
  for (const old of outcome.replaced) {
    await deps.vectorIndex.deleteByFile(f.userId, old.id);
    await deps.blobs.delete(old.storageKey);
  }
  return { kind: 'committed' };
}

/** Removes every trace of a file: its chunks, its row (when created) and its blob. */
export async function discardFile(
  deps: Pick<RowDeps, 'files' | 'blobs' | 'vectorIndex'>,
  f: { userId: string; fileId: string; storageKey: string; row: boolean },
): Promise<number> {
  const removed = await deps.vectorIndex.deleteByFile(f.userId, f.fileId);
  if (f.row) await deps.files.delete(f.userId, f.fileId);
  await deps.blobs.delete(f.storageKey);
  return removed;
}
