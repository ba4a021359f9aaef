/** processing → indexed | failed */
export type FileRowStatus = 'processing' | 'indexed' | 'failed';

/** One uploaded file as the `files` table records it (chunks live in the vector index). */
export type FileRecord = {
  id: string;
  userId: string;
  /** The original name, as uploaded. */
  filename: string;
  /** Where the blob store keeps the original. */
  storageKey: string;
  extension: string;
  size: number;
  sha256: string;
  category: string | null;
  status: FileRowStatus;
  stage: string;
  error: string | null;
  chunksCount: number;
  pageCount: number | null;
  createdAt: Date;
  indexedAt: Date | null;
};

/** A file row's identity and blob, what removing it needs. */
export type StoredFile = { id: string; userId: string; storageKey: string };

/**
 * The `files` table: one row per upload, scoped by `userId` in every method except the system-level
 * ones that start-up reconciliation uses (named so). Ids that are not UUIDs simply match nothing.
 */
export interface FileStore {
  /** The user's indexed files (what listing shows), newest first; `limit` keeps the newest n. */
  listIndexed(userId: string, opts?: { limit?: number }): Promise<FileRecord[]>;
  /** The user's indexed files with this id or with this original name (either may be omitted). */
  findIndexed(userId: string, match: { id?: string; filename?: string }): Promise<FileRecord[]>;
  /** The user's files in any status (uploads still being indexed too) with this id or name. */
  find(userId: string, match: { id?: string; filename?: string }): Promise<FileRecord[]>;
  /** The user's indexed file with exactly these bytes, if any (identical uploads are not re-indexed). */
  findIndexedCopy(userId: string, sha256: string): Promise<FileRecord | null>;
  /** One of the user's files in any status (upload progress), or null. */
  get(userId: string, fileId: string): Promise<FileRecord | null>;
  /** Ids of the user's files in any of these (trimmed) categories; `indexedOnly` limits it to listed files. */
  idsInCategories(
    userId: string,
    categories: string[],
    opts: { indexedOnly: boolean },
  ): Promise<string[]>;
  /** The user's indexed files counted per category (null: files without one), in one grouped read. */
  countByCategory(userId: string): Promise<{ category: string | null; count: number }[]>;
  /** Deletes one of the user's file rows (its chunks and blob are the caller's). */
  delete(userId: string, fileId: string): Promise<void>;
  /** Deletes every file row of the user; returns what was deleted. */
  deleteAll(userId: string): Promise<StoredFile[]>;
  /** System-level: every file row of every user (start-up reconciliation). */
  allFiles(): Promise<StoredFile[]>;
  /** System-level: rows that never reached `indexed`, of every user (start-up reconciliation). */
  unfinishedFiles(): Promise<StoredFile[]>;
  /** System-level: deletes these rows, whoever owns them (start-up reconciliation). */
  deleteMany(fileIds: string[]): Promise<void>;
}
