import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { WriteClaim } from '../../ports/vector-index';
import { queryRows } from '../vector/sql-rows';

/**
 * The files whose jobs the claims still hold, their job rows locked for the rest of the transaction: a
 * runner taking a job over (its `claim` update) waits until the chunk write that checked it commits,
 * and starts clean after it (attempt 2 deletes the file's chunks first), so no write of a runner that
 * lost its claim survives.
 */
export async function heldFiles(
  tx: Pick<Db, 'execute'>,
  claims: readonly WriteClaim[],
): Promise<Set<string>> {
  const byWorker = new Map<string, string[]>();
  for (const c of claims) {
    const ids = byWorker.get(c.workerId) ?? [];
    for (const j of c.jobs) ids.push(j.jobId);
    byWorker.set(c.workerId, ids);
  }
  const held = new Set<string>();
  for (const [workerId, jobIds] of byWorker) {
    const rows = await queryRows(
      tx,
      sql`select file_id::text as file_id from ingest_jobs
          where id = any(${sql.param(jobIds)}::uuid[]) and claimed_by = ${workerId} and status = 'running'
          order by id
          for update`,
    );
    for (const r of rows) held.add(String(r.file_id));
  }
  return held;
}

/**
 * {@link heldFiles} and the user's write lock (`lockUser`'s) in one statement: the chunk write's first
 * inside its transaction. Each claim's jobs are matched with their worker in one join.
 */
export async function holdFilesAndLock(
  tx: Pick<Db, 'execute'>,
  userId: string,
  claims: readonly WriteClaim[],
): Promise<Set<string>> {
  const jobIds: string[] = [];
  const workerIds: string[] = [];
  for (const c of claims) {
    for (const j of c.jobs) {
      jobIds.push(j.jobId);
      workerIds.push(c.workerId);
    }
  }
  const [row] = await queryRows(
    tx,
    sql`with held as (
          select j.file_id::text as file_id from ingest_jobs j
          join unnest(${sql.param(jobIds)}::uuid[], ${sql.param(workerIds)}::text[]) as c(id, worker_id)
            on j.id = c.id and j.claimed_by = c.worker_id
          where j.status = 'running'
          order by j.id
          for update of j
        )
        select coalesce((select array_agg(file_id) from held), '{}') as held,
               pg_advisory_xact_lock(hashtext(${userId})) as locked`,
  );
  const held = row?.held;
  return new Set(Array.isArray(held) ? held.map(String) : []);
}
