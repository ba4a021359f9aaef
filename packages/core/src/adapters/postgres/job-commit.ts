/**
 * The end of one indexed upload in one statement: marking its file indexed, removing the older indexed
 * files of the same name and finishing its job were two transactions and a statement (a BEGIN/COMMIT
 * pair each), the costliest fixed part of a small upload on the embedded database.
 */
import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { BatchCommit, JobCommitOutcome } from '../../ports/job-store';
import { queryRow } from './sql-helpers';

/** Postgres' unique_violation, wherever the driver (or drizzle) nests it in the cause chain. */
function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if ((cur as { code?: string }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

type CommitRow = {
  held: number;
  present: number;
  replaced: { id: string; storage_key: string }[] | string | null;
};

export async function commitIndexed(
  db: Db,
  workerId: string,
  c: BatchCommit & { sha256: string },
): Promise<JobCommitOutcome> {
  let row: CommitRow | undefined;
  try {
    // The job row is locked first (a takeover's claim waits for this statement); nothing changes
    // unless it is still ours and the file row still exists.
    row = await queryRow<CommitRow>(
      db,
      sql`
      with held as (
        select id from ingest_jobs
        where id = ${c.jobId}::uuid and claimed_by = ${workerId} and status = 'running'
        for update
      ),
      file as (
        update files set status = 'indexed', stage = 'indexed', chunks_count = ${c.chunksCount}::int,
                         page_count = ${c.pageCount}::int, indexed_at = now()
        where id = ${c.fileId}::uuid and exists (select 1 from held)
        returning id
      ),
      job as (
        update ingest_jobs set status = 'done', stage = 'indexed', result_file_id = ${c.fileId}::uuid,
                               chunks_count = ${c.chunksCount}::int, page_count = ${c.pageCount}::int,
                               duplicate = false, lease_until = null, finished_at = now(), updated_at = now()
        where id in (select id from held) and exists (select 1 from file)
        returning id
      ),
      -- Only indexed versions are replaced; a same-name upload still in progress keeps going.
      replaced as (
        delete from files
        where user_id = ${c.userId}::uuid and filename = ${c.filename}::text and status = 'indexed'
          and id <> ${c.fileId}::uuid and exists (select 1 from file)
        returning id::text as id, storage_key
      )
      select (select count(*) from held)::int as held,
             (select count(*) from job)::int as present,
             (select json_agg(json_build_object('id', id, 'storage_key', storage_key)) from replaced) as replaced`,
    );
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const copy = await queryRow<{ id: string; chunks_count: number; page_count: number | null }>(
      db,
      sql`select id::text as id, chunks_count, page_count from files
          where user_id = ${c.userId}::uuid and sha256 = ${c.sha256}::text and status = 'indexed'`,
    );
    if (!copy) throw e;
    return {
      kind: 'duplicate',
      existing: { fileId: copy.id, chunksCount: copy.chunks_count, pageCount: copy.page_count },
    };
  }
  if (!row || Number(row.held) === 0) return { kind: 'lost' };
  if (Number(row.present) === 0) return { kind: 'gone' };
  // json_agg arrives parsed from PGlite and node-postgres alike; a string only from a driver that
  // does not parse json.
  const replaced =
    typeof row.replaced === 'string'
      ? (JSON.parse(row.replaced) as { id: string; storage_key: string }[])
      : (row.replaced ?? []);
  return {
    kind: 'committed',
    replaced: replaced.map((r) => ({ fileId: r.id, storageKey: r.storage_key })),
  };
}
