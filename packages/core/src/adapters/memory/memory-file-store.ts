import type { FileRecord, FileStore, StoredFile } from '../../ports/file-store';

/** A new file row as an upload creates it (what the job store's `enqueue` inserts on Postgres). */
export type NewFileRow = Pick<
  FileRecord,
  'id' | 'userId' | 'filename' | 'storageKey' | 'extension' | 'size' | 'sha256' | 'category'
> &
  Partial<
    Pick<FileRecord, 'status' | 'stage' | 'createdAt' | 'chunksCount' | 'pageCount' | 'indexedAt'>
  >;

export type MemoryFileStore = FileStore & {
  /** Inserts a row (status `processing` unless given); the fake's stand-in for the upload's insert. */
  insert(row: NewFileRow): FileRecord;
};

/** Newest first, as the table's `created_at desc, id desc`. */
const newestFirst = (a: FileRecord, b: FileRecord) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

const storedOf = (f: FileRecord): StoredFile => ({
  id: f.id,
  userId: f.userId,
  storageKey: f.storageKey,
});

/** Ids are UUIDs, stored lower-case and compared without regard to case (as a `uuid` column does). */
const idKey = (id: string) => id.toLowerCase();

/**
 * The `files` table in memory, for fast unit tests of the domain; the store contract suite keeps it
 * honest against the Postgres adapter (same ordering, same unique key on a user's indexed bytes).
 */
export function createMemoryFileStore(): MemoryFileStore {
  const rows = new Map<string, FileRecord>();
  const copy = (f: FileRecord): FileRecord => ({ ...f });
  const ofUser = (userId: string) => [...rows.values()].filter((f) => f.userId === userId);
  const indexedOf = (userId: string) => ofUser(userId).filter((f) => f.status === 'indexed');
  const findIndexedCopy = async (userId: string, sha256: string) => {
    const found = indexedOf(userId).find((f) => f.sha256 === sha256);
    return found ? copy(found) : null;
  };
  const findIn = (list: FileRecord[], match: { id?: string; filename?: string }) => {
    const id = match.id === undefined ? undefined : idKey(match.id);
    if (id === undefined && match.filename === undefined) return [];
    return list
      .filter((f) => f.id === id || f.filename === match.filename)
      .sort(newestFirst)
      .map(copy);
  };
  return {
    insert(row) {
      const id = idKey(row.id);
      if (rows.has(id)) throw new Error(`file ${row.id} exists`);
      const record: FileRecord = {
        status: 'processing',
        stage: 'stored',
        createdAt: new Date(),
        chunksCount: 0,
        pageCount: null,
        indexedAt: null,
        ...row,
        id,
        error: null,
      };
      rows.set(id, record);
      return copy(record);
    },
    async listIndexed(userId, opts = {}) {
      const list = indexedOf(userId).sort(newestFirst).map(copy);
      return opts.limit === undefined ? list : list.slice(0, opts.limit);
    },
    findIndexed: async (userId, match) => findIn(indexedOf(userId), match),
    find: async (userId, match) => findIn(ofUser(userId), match),
    findIndexedCopy,
    async get(userId, fileId) {
      const found = rows.get(idKey(fileId));
      return found && found.userId === userId ? copy(found) : null;
    },
    async idsInCategories(userId, categories, opts) {
      const wanted = new Set(categories.map((c) => c.trim()));
      return (opts.indexedOnly ? indexedOf(userId) : ofUser(userId))
        .filter((f) => f.category !== null && wanted.has(f.category))
        .map((f) => f.id);
    },
    async countByCategory(userId) {
      const counts = new Map<string | null, number>();
      for (const f of indexedOf(userId)) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
      return [...counts].map(([category, count]) => ({ category, count }));
    },
    async delete(userId, fileId) {
      const found = rows.get(idKey(fileId));
      if (found && found.userId === userId) rows.delete(found.id);
    },
    async deleteAll(userId) {
      const mine = ofUser(userId);
      for (const f of mine) rows.delete(f.id);
      return mine.map(storedOf);
    },
    allFiles: async () => [...rows.values()].map(storedOf),
    unfinishedFiles: async () =>
      [...rows.values()].filter((f) => f.status !== 'indexed').map(storedOf),
    async deleteMany(fileIds) {
      for (const id of fileIds) rows.delete(idKey(id));
    },
  };
}
