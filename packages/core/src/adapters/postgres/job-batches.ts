import { and, eq, inArray, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type { BatchCommit, BatchCommitted, IngestJob, NewJob } from '../../ports/job-store';
import { queryRows } from '../vector/sql-rows';

type JobRow = typeof ingestJobs.$inferSelect;

const jobValues = (j: NewJob) => ({
  id: j.jobId,
  userId: j.userId,
  fileId: j.fileId,
  uploadId: j.uploadId,
  filename: j.filename,
  extension: j.extension,
  storageKey: j.storageKey,
  category: j.category,
  size: j.size,
  sha256: j.sha256,
  // Rows of one statement share now(): the clock keeps them in submission order for the queue.
  createdAt: sql`clock_timestamp()`,
});

/**
 * Many uploads in one transaction: one read for the users' indexed copies of these bytes, then one
 * multi-row insert each for the new file rows, their queued jobs and the duplicates' finished jobs.
 */
export async function enqueueMany(
  db: Db,
  jobs: NewJob[],
  toJob: (r: JobRow) => IngestJob,
): Promise<IngestJob[]> {
  if (jobs.length === 0) return [];
  return db.transaction(async (tx) => {
    const copies = await tx
      .select({
        userId: files.userId,
        sha256: files.sha256,
        id: files.id,
        chunksCount: files.chunksCount,
        pageCount: files.pageCount,
      })
      .from(files)
      .where(
        and(
          eq(files.status, 'indexed'),
          inArray(files.userId, [...new Set(jobs.map((j) => j.userId))]),
          inArray(files.sha256, [...new Set(jobs.map((j) => j.sha256))]),
        ),
      );
    const copyOf = new Map(copies.map((c) => [`${c.userId}:${c.sha256}`, c]));
    const fresh = jobs.filter((j) => !copyOf.has(`${j.userId}:${j.sha256}`));
    const rows: JobRow[] = [];
    if (fresh.length) {
      await tx.insert(files).values(
        fresh.map((j) => ({
          id: j.fileId,
          userId: j.userId,
          filename: j.filename,
          storageKey: j.storageKey,
          extension: j.extension,
          size: j.size,
          sha256: j.sha256,
          category: j.category,
          status: 'processing',
          stage: 'stored',
        })),
      );
      rows.push(
        ...(await tx
          .insert(ingestJobs)
          .values(fresh.map((j) => ({ ...jobValues(j), status: 'queued', stage: 'uploaded' })))
          .returning()),
      );
    }
    const duplicates = jobs.flatMap((j) => {
      const copy = copyOf.get(`${j.userId}:${j.sha256}`);
      return copy ? [{ j, copy }] : [];
    });
    if (duplicates.length) {
      rows.push(
        ...(await tx
          .insert(ingestJobs)
          .values(
            duplicates.map(({ j, copy }) => ({
              ...jobValues(j),
              fileId: copy.id,
              status: 'done',
              stage: 'indexed',
              resultFileId: copy.id,
              chunksCount: copy.chunksCount,
              pageCount: copy.pageCount,
              duplicate: true,
              finishedAt: sql`now()`,
            })),
          )
          .returning()),
      );
    }
    const byId = new Map(rows.map((r) => [r.id, toJob(r)]));
    return jobs.flatMap((j) => {
      const job = byId.get(j.jobId);
      return job ? [job] : [];
    });
  });
}

/**
 * Commits a batch of indexed files in one transaction: locks the jobs the worker still holds, flips
 * their file rows to indexed (rows deleted meanwhile are reported as gone), finishes those jobs and
 * removes older indexed files of the same names. A unique violation (the same bytes indexed by a
 * concurrent upload) aborts the whole transaction.
 */
export async function commitBatch(
  db: Db,
  workerId: string,
  items: BatchCommit[],
): Promise<BatchCommitted> {
  if (items.length === 0) return { committed: [], lost: [], gone: [], replaced: [] };
  return db.transaction(async (tx) => {
    const held = new Set(
      (
        await tx
          .select({ id: ingestJobs.id })
          .from(ingestJobs)
          .where(
            and(
              inArray(
                ingestJobs.id,
                items.map((i) => i.jobId),
              ),
              eq(ingestJobs.claimedBy, workerId),
              eq(ingestJobs.status, 'running'),
            ),
          )
          .for('update')
      ).map((r) => r.id),
    );
    const mine = items.filter((i) => held.has(i.jobId));
    const col = <T>(list: BatchCommit[], f: (i: BatchCommit) => T) => sql.param(list.map(f));
    const present = new Set(
      mine.length === 0
        ? []
        : (
            await queryRows(
              tx,
              sql`update files f set status = 'indexed', stage = 'indexed', chunks_count = v.n, page_count = v.p,
                         indexed_at = now()
                  from unnest(${col(mine, (i) => i.fileId)}::uuid[], ${col(mine, (i) => i.chunksCount)}::int[],
                              ${col(mine, (i) => i.pageCount)}::int[]) as v(id, n, p)
                  where f.id = v.id
                  returning f.id::text as id`,
            )
          ).map((r) => String(r.id)),
    );
    const done = mine.filter((i) => present.has(i.fileId));
    if (done.length === 0)
      return {
        committed: [],
        lost: items.filter((i) => !held.has(i.jobId)).map((i) => i.jobId),
        gone: mine.map((i) => i.jobId),
        replaced: [],
      };
    await tx.execute(
      sql`update ingest_jobs j set status = 'done', stage = 'indexed', result_file_id = j.file_id,
                 chunks_count = v.n, page_count = v.p, duplicate = false, lease_until = null,
                 finished_at = now(), updated_at = now()
          from unnest(${col(done, (i) => i.jobId)}::uuid[], ${col(done, (i) => i.chunksCount)}::int[],
                      ${col(done, (i) => i.pageCount)}::int[]) as v(id, n, p)
          where j.id = v.id`,
    );
    // Only indexed versions are replaced; a same-name upload still in progress keeps going.
    const replaced = await queryRows(
      tx,
      sql`delete from files f
          using unnest(${col(done, (i) => i.userId)}::uuid[], ${col(done, (i) => i.filename)}::text[]) as v(u, name)
          where f.user_id = v.u and f.filename = v.name and f.status = 'indexed'
            and f.id <> all(${col(done, (i) => i.fileId)}::uuid[])
          returning f.id::text as id, f.user_id::text as user_id, f.storage_key`,
    );
    return {
      committed: done.map((i) => i.jobId),
      lost: items.filter((i) => !held.has(i.jobId)).map((i) => i.jobId),
      gone: mine.filter((i) => !present.has(i.fileId)).map((i) => i.jobId),
      replaced: replaced.map((r) => ({
        userId: String(r.user_id),
        fileId: String(r.id),
        storageKey: String(r.storage_key),
      })),
    };
  });
}
