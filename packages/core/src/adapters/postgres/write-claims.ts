import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import type { WriteClaim } from '../../ports/vector-index';
import { queryRows } from '../vector/sql-rows';
import { userWriteLock } from './user-write-lock';

/** The files of the claims' jobs still held (each job matched with its worker), their job rows locked. */
export function heldFileRows(claims: readonly WriteClaim[]): SQL {
  const jobIds: string[] = [];
  const workerIds: string[] = [];
  for (const c of claims) {
    for (const j of c.jobs) {
      jobIds.push(j.jobId);
      workerIds.push(c.workerId);
    }
  }
  return sql`select j.file_id::text as file_id from ingest_jobs j
    join unnest(${sql.param(jobIds)}::uuid[], ${sql.param(workerIds)}::text[]) as c(id, worker_id)
      on j.id = c.id and j.claimed_by = c.worker_id
    where j.status = 'running'
    order by j.id
    for update of j`;
}

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
  const rows = await queryRows(tx, heldFileRows(claims));
  return new Set(rows.map((r) => String(r.file_id)));
}

/**
 * {@link heldFiles} and the user's write lock in one statement: the chunk write's first inside its
 * transaction.
 */
export async function holdFilesAndLock(
  tx: Pick<Db, 'execute'>,
  userId: string,
  claims: readonly WriteClaim[],
): Promise<Set<string>> {
  const [row] = await queryRows(
    tx,
    sql`with held as (${heldFileRows(claims)})
        select coalesce((select array_agg(file_id) from held), '{}') as held,
               ${userWriteLock(userId)} as locked`,
  );
  const held = row?.held;
  return new Set(Array.isArray(held) ? held.map(String) : []);
}
