import { and, count, desc, eq, inArray, ne, or, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import type { FileRecord, FileRowStatus, FileStore } from '../../ports/file-store';
import { isUuid } from './sql-helpers';

type Row = typeof files.$inferSelect;

function toRecord(r: Row): FileRecord {
  return {
    id: r.id,
    userId: r.userId,
    filename: r.filename,
    storageKey: r.storageKey,
    extension: r.extension,
    size: r.size,
    sha256: r.sha256,
    category: r.category,
    status: r.status as FileRowStatus,
    stage: r.stage,
    error: r.error,
    chunksCount: r.chunksCount,
    pageCount: r.pageCount,
    createdAt: r.createdAt,
    indexedAt: r.indexedAt,
  };
}

const stored = { id: files.id, userId: files.userId, storageKey: files.storageKey };

/** The user's listed files: the query every "which files does this user have" read starts from. */
const indexedOf = (userId: string, ...more: (SQL | undefined)[]) =>
  and(eq(files.userId, userId), eq(files.status, 'indexed'), ...more);

/** The `files` table on PGlite and Postgres alike. A user id that is not a UUID owns nothing. */
export function createPostgresFileStore(db: Db): FileStore {
  const findIndexedCopy = async (userId: string, sha256: string) => {
    if (!isUuid(userId)) return null;
    const [row] = await db
      .select()
      .from(files)
      .where(indexedOf(userId, eq(files.sha256, sha256)));
    return row ? toRecord(row) : null;
  };
  /** The user's rows with this id or name, newest first; only listed (indexed) ones when asked. */
  const findWhere = async (
    userId: string,
    match: { id?: string; filename?: string },
    indexedOnly: boolean,
  ) => {
    const byId = match.id !== undefined && isUuid(match.id) ? match.id.toLowerCase() : undefined;
    const alternatives = [
      ...(byId !== undefined ? [eq(files.id, byId)] : []),
      ...(match.filename !== undefined ? [eq(files.filename, match.filename)] : []),
    ];
    if (!isUuid(userId) || alternatives.length === 0) return [];
    const rows = await db
      .select()
      .from(files)
      .where(
        indexedOnly
          ? indexedOf(userId, or(...alternatives))
          : and(eq(files.userId, userId), or(...alternatives)),
      )
      .orderBy(desc(files.createdAt), desc(files.id));
    return rows.map(toRecord);
  };
  return {
    async listIndexed(userId, opts = {}) {
      if (!isUuid(userId)) return [];
      const query = db
        .select()
        .from(files)
        .where(indexedOf(userId))
        .orderBy(desc(files.createdAt), desc(files.id));
      const rows = await (opts.limit === undefined ? query : query.limit(opts.limit));
      return rows.map(toRecord);
    },
    findIndexed: (userId, match) => findWhere(userId, match, true),
    find: (userId, match) => findWhere(userId, match, false),
    findIndexedCopy,
    async get(userId, fileId) {
      if (!isUuid(userId) || !isUuid(fileId)) return null;
      const [row] = await db
        .select()
        .from(files)
        .where(and(eq(files.userId, userId), eq(files.id, fileId.toLowerCase())));
      return row ? toRecord(row) : null;
    },
    async idsInCategories(userId, categories, opts) {
      const wanted = [...new Set(categories.map((c) => c.trim()))];
      if (!isUuid(userId) || wanted.length === 0) return [];
      const rows = await db
        .select({ id: files.id })
        .from(files)
        .where(
          and(
            eq(files.userId, userId),
            inArray(files.category, wanted),
            opts.indexedOnly ? eq(files.status, 'indexed') : undefined,
          ),
        );
      return rows.map((r) => r.id);
    },
    async countByCategory(userId) {
      if (!isUuid(userId)) return [];
      const rows = await db
        .select({ category: files.category, n: count() })
        .from(files)
        .where(indexedOf(userId))
        .groupBy(files.category);
      return rows.map((r) => ({ category: r.category, count: Number(r.n) }));
    },
    async delete(userId, fileId) {
      if (!isUuid(userId) || !isUuid(fileId)) return;
      await db.delete(files).where(and(eq(files.id, fileId), eq(files.userId, userId)));
    },
    async deleteAll(userId) {
      if (!isUuid(userId)) return [];
      return db.delete(files).where(eq(files.userId, userId)).returning(stored);
    },
    allFiles: () => db.select(stored).from(files),
    unfinishedFiles: () => db.select(stored).from(files).where(ne(files.status, 'indexed')),
    async deleteMany(fileIds) {
      const ids = fileIds.filter(isUuid);
      if (ids.length) await db.delete(files).where(inArray(files.id, ids));
    },
  };
}
