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
