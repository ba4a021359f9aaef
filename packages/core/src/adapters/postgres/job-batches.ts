import { and, eq, inArray, sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { files } from '../../db/schema/documents';
import { ingestJobs } from '../../db/schema/jobs';
import type {
  BatchCommit,
  BatchCommitted,
  IngestJob,
  NewJob,
  QuotaCheck,
} from '../../ports/job-store';
import { queryRows } from '../vector/sql-rows';
import { insertRejected } from './job-records';
import { lockUserStorage, quotaRefusals } from './storage-usage';

type JobRow = typeof ingestJobs.$inferSelect;

/**
 * Many uploads in one transaction: one read for the users' indexed copies of these bytes, then one
 * multi-row insert each for the new file rows, their queued jobs and the duplicates' finished jobs.
 * With a quota, the users' storage locks are taken first and uploads that do not fit are refused.
 */
export async function enqueueMany(
  db: Db,
  all: NewJob[],
  toJob: (r: JobRow) => IngestJob,
  quota?: QuotaCheck,
): Promise<IngestJob[]> {
  if (all.length === 0) return [];
  return db.transaction(async (tx) => {
    if (quota)
      await lockUserStorage(
        tx,
        all.map((j) => j.userId),
      );
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
          inArray(files.userId, [...new Set(all.map((j) => j.userId))]),
          inArray(files.sha256, [...new Set(all.map((j) => j.sha256))]),
        ),
      );
    const copyOf = new Map(copies.map((c) => [`${c.userId}:${c.sha256}`, c]));
    const refused = quota
      ? await quotaRefusals(
          tx,
          all.filter((j) => !copyOf.has(`${j.userId}:${j.sha256}`)),
          quota,
        )
      : new Map<string, { code: string; reason: string }>();
    const jobs = all.filter((j) => !refused.has(j.jobId));
    const fresh = jobs.filter((j) => !copyOf.has(`${j.userId}:${j.sha256}`));
    const col = <T>(list: NewJob[], f: (j: NewJob) => T) => sql.param(list.map(f));
    // Raw multi-row inserts (unnest): building a large drizzle insert costs more than running it.
    if (fresh.length)
      await tx.execute(sql`
        insert into files (id, user_id, filename, storage_key, extension, size, sha256, category, status, stage)
        select id, user_id, filename, storage_key, extension, size, sha256, category, 'processing', 'stored'
        from unnest(${col(fresh, (j) => j.fileId)}::uuid[], ${col(fresh, (j) => j.userId)}::uuid[],
                    ${col(fresh, (j) => j.filename)}::text[], ${col(fresh, (j) => j.storageKey)}::text[],
                    ${col(fresh, (j) => j.extension)}::text[], ${col(fresh, (j) => j.size)}::bigint[],
                    ${col(fresh, (j) => j.sha256)}::text[], ${col(fresh, (j) => j.category)}::text[])
          as t(id, user_id, filename, storage_key, extension, size, sha256, category)`);
    const copy = (j: NewJob) => copyOf.get(`${j.userId}:${j.sha256}`);
    await tx.execute(sql`
      insert into ingest_jobs (id, user_id, file_id, upload_id, filename, extension, storage_key, category, size,
                               sha256, status, stage, result_file_id, chunks_count, page_count, duplicate,
                               finished_at, created_at)
      select id, user_id, file_id, upload_id, filename, extension, storage_key, category, size, sha256,
             case when dup then 'done' else 'queued' end, case when dup then 'indexed' else 'uploaded' end,
             result_file_id, chunks_count, page_count, dup, case when dup then now() end,
             -- rows of one statement share now(): the clock keeps them in submission order
             clock_timestamp()
      from unnest(${col(jobs, (j) => j.jobId)}::uuid[], ${col(jobs, (j) => j.userId)}::uuid[],
                  ${col(jobs, (j) => copy(j)?.id ?? j.fileId)}::uuid[], ${col(jobs, (j) => j.uploadId)}::text[],
                  ${col(jobs, (j) => j.filename)}::text[], ${col(jobs, (j) => j.extension)}::text[],
                  ${col(jobs, (j) => j.storageKey)}::text[], ${col(jobs, (j) => j.category)}::text[],
                  ${col(jobs, (j) => j.size)}::bigint[], ${col(jobs, (j) => j.sha256)}::text[],
                  ${col(jobs, (j) => copy(j)?.id ?? null)}::uuid[], ${col(jobs, (j) => copy(j)?.chunksCount ?? 0)}::int[],
                  ${col(jobs, (j) => copy(j)?.pageCount ?? null)}::int[], ${col(jobs, (j) => copy(j) !== undefined)}::bool[])
        as t(id, user_id, file_id, upload_id, filename, extension, storage_key, category, size, sha256,
             result_file_id, chunks_count, page_count, dup)`);
    const rows = await tx
      .select()
      .from(ingestJobs)
      .where(sql`${ingestJobs.id} = any(${sql.param(jobs.map((j) => j.jobId))}::uuid[])`);
    const byId = new Map(rows.map((r) => [r.id, toJob(r)]));
    for (const j of all) {
      const refusal = refused.get(j.jobId);
      if (refusal) byId.set(j.jobId, await insertRejected(tx, j, refusal));
    }
    return all.flatMap((j) => {
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
