import type { Readable } from 'node:stream';

export type StoredBlob = { key: string; size: number; sha256: string };

/** Stores uploaded files under server-chosen keys (never client filenames). */
export interface BlobStore {
  readonly name: string;
  /**
   * Streams `source` (or writes bytes already in memory) to `key`; fails with PAYLOAD_TOO_LARGE past
   * `maxBytes` and leaves nothing behind.
   */
  write(
    key: string,
    source: Readable | AsyncIterable<Uint8Array> | Uint8Array,
    opts: { maxBytes: number },
  ): Promise<StoredBlob>;
  /** Absolute path of a stored blob (for parsers that read files). */
  path(key: string): string;
  read(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  /** Lists every stored key (for start-up reconciliation). */
  list(): Promise<string[]>;
}
