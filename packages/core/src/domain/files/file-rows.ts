import { and, eq, ne } from 'drizzle-orm';

import { files } from '../../db/schema/documents';
import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';

type RowDeps = Pick<Deps, 'db' | 'blobs' | 'vectorIndex' | 'log' | 'clock'>;

type ExistingFile = {
  id: string;
  chunksCount: number;
  pageCount: number | null;
  category: string | null;
};

function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if ((cur as { code?: string }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

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
): Promise<{ kind: 'committed' } | { kind: 'duplicate'; existing: ExistingFile }> {
  let replaced: { id: string; storageKey: string }[];
  try {
    replaced = await deps.db.transaction(async (tx) => {
      const updated = await tx
        .update(files)
        .set({
          status: 'indexed',
          stage: 'indexed',
          chunksCount: f.chunksCount,
          pageCount: f.pageCount,
          indexedAt: deps.clock.now(),
        })
        .where(eq(files.id, f.fileId))
        .returning({ id: files.id });
      // The row is gone when the user reset their collection or deleted the file meanwhile.
      if (updated.length === 0) {
        throw new AppError('CONFLICT', 'Tài liệu đã bị xóa trong khi đang được xử lý');
      }
      // Only indexed versions are replaced; a same-name upload still in progress keeps going.
      return tx
        .delete(files)
        .where(
          and(
            eq(files.userId, f.userId),
            eq(files.filename, f.filename),
            eq(files.status, 'indexed'),
            ne(files.id, f.fileId),
          ),
        )
        .returning({ id: files.id, storageKey: files.storageKey });
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const existing = await findIndexedCopy(deps.db, f.userId, f.sha256);
    if (!existing) throw e;
    return { kind: 'duplicate', existing };
  }
  for (const old of replaced) {
    await deps.vectorIndex.deleteByFile(f.userId, old.id);
    await deps.blobs.delete(old.storageKey);
  }
  return { kind: 'committed' };
}

/** The caller's already-indexed file with these exact bytes, if any (identical uploads are not re-indexed). */
export async function findIndexedCopy(db: RowDeps['db'], userId: string, sha256: string) {
  const [existing] = await db
    .select({
      id: files.id,
      chunksCount: files.chunksCount,
      pageCount: files.pageCount,
      category: files.category,
    })
    .from(files)
    .where(and(eq(files.userId, userId), eq(files.sha256, sha256), eq(files.status, 'indexed')));
  return existing;
}

/** Removes every trace of a file: its chunks, its row (when created) and its blob. */
export async function discardFile(
  deps: RowDeps,
  f: { userId: string; fileId: string; storageKey: string; row: boolean },
): Promise<number> {
  const removed = await deps.vectorIndex.deleteByFile(f.userId, f.fileId);
  if (f.row)
    await deps.db.delete(files).where(and(eq(files.id, f.fileId), eq(files.userId, f.userId)));
  await deps.blobs.delete(f.storageKey);
  return removed;
}

/** Records that a file's document was read (its page count shows in the file's status). */
export async function markParsed(db: RowDeps['db'], fileId: string, pageCount: number | null) {
  await db.update(files).set({ stage: 'parsed', pageCount }).where(eq(files.id, fileId));
}
