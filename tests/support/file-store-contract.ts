import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { NewFileRow } from '../../packages/core/src/adapters/memory/memory-file-store';
import type { FileRecord, FileStore } from '../../packages/core/src/ports/file-store';

export type FileStoreSubject = {
  store: FileStore;
  /** Inserts a file row as an upload does (status `processing` unless given), or an indexed one. */
  insert(row: NewFileRow): Promise<void>;
  close(): Promise<void>;
};

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

/**
 * The one behavioural contract every FileStore adapter passes (in memory, PGlite, Postgres): per-user
 * scoping, which rows count as "the user's indexed files" and their order, the unique bytes of a user's
 * indexed files, and the system-level reads of reconciliation. Committing an upload (same-name replacement,
 * a racing duplicate) is the job store's, tested in tests/integration/jobs/commit-indexed.test.ts.
 */
export function fileStoreContract(name: string, open: () => Promise<FileStoreSubject>) {
  describe(`FileStore contract: ${name}`, () => {
    let subject: FileStoreSubject;
    let store: FileStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject.close());

    /** A file of `userId`, indexed unless `indexed: false`. */
    async function file(
      userId: string,
      over: Partial<NewFileRow> & { indexed?: boolean; chunks?: number } = {},
    ): Promise<FileRecord> {
      const { indexed = true, chunks = 2, ...row } = over;
      const id = row.id ?? randomUUID();
      await subject.insert({
        id,
        userId,
        filename: `${id}.txt`,
        storageKey: `files/${id}.txt`,
        extension: '.txt',
        size: 10,
        sha256: randomUUID(),
        category: null,
        createdAt: at(0),
        ...(indexed
          ? { status: 'indexed', stage: 'indexed', chunksCount: chunks, indexedAt: at(59) }
          : {}),
        ...row,
      });
      return (await store.get(userId, id)) as FileRecord;
    }
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    it('lists only the user’s indexed files, newest first, and keeps the newest n', async () => {
      const alice = randomUUID();
      const old = await file(alice, { createdAt: at(1) });
      const recent = await file(alice, { createdAt: at(3) });
      const tie = [
        await file(alice, { createdAt: at(2) }),
        await file(alice, { createdAt: at(2) }),
      ];
      await file(alice, { createdAt: at(9), indexed: false });
      await file(randomUUID(), { createdAt: at(9) });
      const [higher, lower] = ids(tie).sort().reverse();
      expect(ids(await store.listIndexed(alice))).toEqual([recent.id, higher, lower, old.id]);
      expect(ids(await store.listIndexed(alice, { limit: 2 }))).toEqual([recent.id, higher]);
      expect(await store.listIndexed(randomUUID())).toEqual([]);
      expect(await store.listIndexed('not-a-uuid')).toEqual([]);
    });

    it('round-trips a row and records parsing', async () => {
      const alice = randomUUID();
      const id = randomUUID();
      await subject.insert({
        id,
        userId: alice,
        filename: 'Báo cáo.pdf',
        storageKey: `files/${id}.pdf`,
        extension: '.pdf',
        size: 12_345_678_901,
        sha256: 'abc',
        category: 'tài chính',
        createdAt: at(5),
      });
      expect(await store.get(alice, id)).toEqual({
        id,
        userId: alice,
        filename: 'Báo cáo.pdf',
        storageKey: `files/${id}.pdf`,
        extension: '.pdf',
        size: 12_345_678_901,
        sha256: 'abc',
        category: 'tài chính',
        status: 'processing',
        stage: 'stored',
        error: null,
        chunksCount: 0,
        pageCount: null,
        createdAt: at(5),
        indexedAt: null,
      });
      expect(await store.listIndexed(alice)).toEqual([]);
      expect(await store.get(alice, id.toUpperCase())).toMatchObject({ id, stage: 'stored' });
      // Someone else's id looks like a missing one; so does a string that is no UUID.
      expect(await store.get(randomUUID(), id)).toBeNull();
      expect(await store.get(alice, 'nope')).toBeNull();
    });

    it('finds the user’s indexed files by id (any case) or original name', async () => {
      const alice = randomUUID();
      const a = await file(alice, { filename: 'same.md', createdAt: at(1) });
      const b = await file(alice, { filename: 'other.md', createdAt: at(2) });
      const pending = await file(alice, { filename: 'other.md', indexed: false });
      const bobs = await file(randomUUID(), { filename: 'same.md' });
      expect(ids(await store.findIndexed(alice, { id: a.id.toUpperCase() }))).toEqual([a.id]);
      expect(ids(await store.findIndexed(alice, { filename: 'same.md' }))).toEqual([a.id]);
      expect(ids(await store.findIndexed(alice, { filename: 'other.md', id: a.id }))).toEqual([
        b.id,
        a.id,
      ]);
      expect(await store.findIndexed(alice, { id: pending.id })).toEqual([]);
      expect(await store.findIndexed(alice, { id: bobs.id })).toEqual([]);
      expect(await store.findIndexed(alice, { id: 'same.md' })).toEqual([]);
      expect(await store.findIndexed(alice, {})).toEqual([]);
      // `find`: the same, in any status.
      expect(ids(await store.find(alice, { id: pending.id }))).toEqual([pending.id]);
      expect(ids(await store.find(alice, { id: a.id.toUpperCase() }))).toEqual([a.id]);
      expect(ids(await store.find(alice, { filename: 'other.md' })).sort()).toEqual(
        [pending.id, b.id].sort(),
      );
      expect(await store.find(alice, { id: bobs.id })).toEqual([]);
      expect(await store.find(alice, {})).toEqual([]);
    });

    it('finds the user’s indexed copy of the same bytes', async () => {
      const alice = randomUUID();
      const first = await file(alice, { sha256: 'bytes' });
      await file(randomUUID(), { sha256: 'bytes' });
      expect((await store.findIndexedCopy(alice, 'bytes'))?.id).toBe(first.id);
      expect(await store.findIndexedCopy(alice, 'other')).toBeNull();
      // Only indexed rows count: an upload of the same bytes still in progress is no copy.
      const pending = randomUUID();
      await file(pending, { sha256: 'pending-bytes', indexed: false });
      expect(await store.findIndexedCopy(pending, 'pending-bytes')).toBeNull();
    });

    it('scopes categories to the user: trimmed names, indexed only when asked', async () => {
      const alice = randomUUID();
      const law = await file(alice, { category: 'law' });
      const news = await file(alice, { category: 'news' });
      const pendingLaw = await file(alice, { category: 'law', indexed: false });
      await file(alice);
      await file(randomUUID(), { category: 'law' });
      const sorted = (list: string[]) => [...list].sort();
      expect(
        sorted(await store.idsInCategories(alice, [' law ', 'news'], { indexedOnly: true })),
      ).toEqual(sorted([law.id, news.id]));
      expect(sorted(await store.idsInCategories(alice, ['law'], { indexedOnly: false }))).toEqual(
        sorted([law.id, pendingLaw.id]),
      );
      expect(await store.idsInCategories(alice, [], { indexedOnly: false })).toEqual([]);
      expect(await store.idsInCategories(alice, ['none'], { indexedOnly: false })).toEqual([]);
      const counts = (await store.countByCategory(alice)).sort((a, b) =>
        String(a.category).localeCompare(String(b.category)),
      );
      expect(counts).toEqual([
        { category: 'law', count: 1 },
        { category: 'news', count: 1 },
        { category: null, count: 1 },
      ]);
      expect(await store.countByCategory(randomUUID())).toEqual([]);
    });

    it('deletes only the owner’s rows', async () => {
      const alice = randomUUID();
      const bob = randomUUID();
      const a = await file(alice);
      const pending = await file(alice, { indexed: false });
      const b = await file(bob);
      await store.delete(bob, a.id);
      expect(await store.get(alice, a.id)).not.toBeNull();
      await store.delete(alice, a.id);
      expect(await store.get(alice, a.id)).toBeNull();
      const before = await file(alice);
      const removed = await store.deleteAll(alice);
      expect(ids(removed).sort()).toEqual([pending.id, before.id].sort());
      expect(removed.find((r) => r.id === before.id)).toEqual({
        id: before.id,
        userId: alice,
        storageKey: before.storageKey,
      });
      expect(await store.listIndexed(alice)).toEqual([]);
      expect(await store.get(bob, b.id)).not.toBeNull();
    });

    it('gives reconciliation every row, the unfinished ones, and deletes rows of any user', async () => {
      const alice = randomUUID();
      const bob = randomUUID();
      const done = await file(alice);
      const pendingA = await file(alice, { indexed: false });
      const pendingB = await file(bob, { indexed: false });
      const all = new Set(ids(await store.allFiles()));
      for (const f of [done, pendingA, pendingB]) expect(all.has(f.id)).toBe(true);
      const unfinished = await store.unfinishedFiles();
      expect(unfinished).toContainEqual({
        id: pendingB.id,
        userId: bob,
        storageKey: pendingB.storageKey,
      });
      expect(ids(unfinished)).toContain(pendingA.id);
      expect(ids(unfinished)).not.toContain(done.id);
      await store.deleteMany([pendingA.id, pendingB.id, 'not-a-uuid']);
      await store.deleteMany([]);
      expect(await store.get(alice, pendingA.id)).toBeNull();
      expect(await store.get(bob, pendingB.id)).toBeNull();
      expect(await store.get(alice, done.id)).not.toBeNull();
    });
  });
}
