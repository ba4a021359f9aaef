import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { DocumentTerms } from '../../domain/search/tokenizer';
import type { ChunkRecord, WriteClaim } from '../../ports/vector-index';
import { addStats, deleteChunksWhere, readVersion, type Deleted } from '../vector/pgvector-stats';
import { storedComponents } from '../vector/vector-literal';
import {
  binaryTextArray,
  binaryTsvectorArray,
  binaryVectorArray,
  vectorTypeOid,
} from './binary-arrays';
import { lockUser } from './user-write-lock';
import { heldFileRows, holdFilesAndLock } from './write-claims';

/** A user's index version before and after a write (the in-memory postings follow it). */
export type VersionChange = { before: string | null; after: string | null };

/** A write's outcome: the version change and which of the rows were stored (null: all of them). */
export type Inserted = VersionChange & { kept: boolean[] | null };

/** The chunk rows as one `insert … select from unnest(…)`: one statement for any number of rows. */
function insertRows(
  userId: string,
  rows: ChunkRecord[],
  terms: DocumentTerms[],
  stored: Float32Array[],
  vectorOid: number,
  guard: SQL,
): SQL {
  const col = <T>(f: (c: ChunkRecord, i: number) => T) => sql.param(rows.map(f));
  // The large columns go as binary arrays (see binary-arrays.ts).
  const text = (f: (c: ChunkRecord, i: number) => string | null) =>
    sql.param(binaryTextArray(rows.map(f)));
  return sql`
    insert into chunks (id, user_id, file_id, filename, chunk_index, content, page, page_label, section,
                        char_start, char_end, token_count, terms, embedding)
    select id, ${userId}::uuid, file_id, filename, chunk_index, content, page, page_label, section,
           char_start, char_end, token_count, terms, embedding
    from unnest(${col((c) => c.id)}::uuid[], ${col((c) => c.fileId)}::uuid[],
                ${text((c) => c.filename)}::text[], ${col((c) => c.chunkIndex)}::int[],
                ${text((c) => c.content)}::text[], ${col((c) => c.page)}::int[],
                ${text((c) => c.pageLabel)}::text[], ${text((c) => c.section)}::text[],
                ${col((c) => c.charStart)}::int[], ${col((c) => c.charEnd)}::int[],
                ${col((_, i) => terms[i]?.length ?? 0)}::int[],
                ${sql.param(binaryTsvectorArray(rows.map((_, i) => terms[i]?.tf ?? new Map<string, number>())))}::tsvector[],
                ${sql.param(binaryVectorArray(stored, vectorOid))}::vector[])
      as t(id, file_id, filename, chunk_index, content, page, page_label, section, char_start, char_end,
           token_count, terms, embedding)
    where ${guard}`;
}

/**
 * Writes a user's chunks with their BM25 statistics and a new index version in one transaction of
 * (usually) two statements: the user's write lock (with the claim check, when there are claims), then
 * the rows, the term document frequencies and the version together. Ids already stored are replaced
 * (their rows and statistics removed first: that statement says so and writes nothing, and runs again
 * after the removal). `stored`: the rows' `storedComponents`, when the caller has them already
 * (computed once for the literal and the in-memory copy). With `claims`, the rows of the files they
 * cover are written only while their jobs are still held, checked (and the job rows locked) in this
 * transaction.
 *
 * On an `exclusive` database (the embedded one: one session, statements run one at a time) the
 * common write is first tried as one statement, the claim check folded in: no other statement can come
 * between its reads and its writes, which is what the lock and the transaction are for. It writes
 * nothing when any claim is lost or an id is stored already; the transaction then does it as above.
 * That is three round trips fewer per write (BEGIN, the lock, COMMIT), ≈ 3 ms of an upload's ≈ 30.
 */
export async function insertChunks(
  db: Db,
  userId: string,
  rows: ChunkRecord[],
  terms: DocumentTerms[],
  stored?: Float32Array[],
  claims: readonly WriteClaim[] = [],
  exclusive = false,
): Promise<Inserted> {
  const vectors = stored ?? rows.map((c) => storedComponents(c.embedding));
  if (exclusive && rows.length > 0) {
    const oid = await vectorTypeOid(db);
    const jobs = claims.reduce((n, c) => n + c.jobs.length, 0);
    const held = jobs ? { rows: heldFileRows(claims), claims: jobs } : undefined;
    const ids = rows.map((c) => c.id);
    const once = await addStats(
      db,
      userId,
      terms,
      ids,
      (guard) => insertRows(userId, rows, terms, vectors, oid, guard),
      held,
    );
    if (!once.taken && !once.lost) return { before: once.before, after: once.after, kept: null };
  }
  return db.transaction(async (tx) => {
    let kept: boolean[] | null = null;
    let keptVectors = vectors;
    if (claims.length) {
      const held = await holdFilesAndLock(tx, userId, claims);
      const guarded = new Set(claims.flatMap((c) => c.jobs.map((j) => j.fileId)));
      kept = rows.map((r) => !guarded.has(r.fileId) || held.has(r.fileId));
      if (kept.every(Boolean)) kept = null;
    } else await lockUser(tx, userId);
    if (kept) {
      const mask = kept;
      rows = rows.filter((_, i) => mask[i]);
      terms = terms.filter((_, i) => mask[i]);
      keptVectors = vectors.filter((_, i) => mask[i]);
    }
    // Nothing left to write (every claim lost): the index stays as it is.
    if (rows.length === 0) return { before: null, after: null, kept };
    const ids = rows.map((c) => c.id);
    const oid = await vectorTypeOid(db, tx);
    const write = () =>
      addStats(tx, userId, terms, ids, (guard) =>
        insertRows(userId, rows, terms, keptVectors, oid, guard),
      );
    const first = await write();
    if (!first.taken) return { before: first.before, after: first.after, kept };
    // Re-written ids (new uploads never are): the old rows and their statistics go first.
    await deleteChunksWhere(tx, userId, sql`id = any(${sql.param(ids)}::uuid[])`);
    const second = await write();
    return { before: first.before, after: second.after, kept };
  });
}

/** Deletes a user's chunks matching `where` with their statistics, in one locked transaction. */
export async function deleteChunks(
  db: Db,
  userId: string,
  where: SQL,
): Promise<{ before: string | null; deleted: Deleted }> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const before = await readVersion(tx, userId);
    return { before, deleted: await deleteChunksWhere(tx, userId, where) };
  });
}

/**
 * Merges the keyword index's pending list into the index proper. The GIN index takes new rows into a
 * pending list (a large one, see the migration `0004`) and merges them in one sorted pass here, much
 * cheaper than maintaining the index entry by entry; Postgres's autovacuum does the same, embedded
 * PGlite has none, and SQL keyword searches scan the pending list until it is merged.
 */
export async function mergePendingTerms(db: Db): Promise<void> {
  await db.execute(sql`select gin_clean_pending_list('chunks_terms_gin'::regclass)`);
}
