/**
 * A user's storage as the quota counts it: every file row (any status, bytes as uploaded), and the lock
 * that makes one user's quota checks run one at a time, on any connection of any gateway.
 */
import { sql } from 'drizzle-orm';

import type { NewJob, QuotaCheck, StorageUsage } from '../../ports/job-store';
import { lockKeys } from './advisory-locks';
import { queryRow, queryRows, type Executor } from './sql-helpers';

type UsageRow = { user_id: string; bytes: number; files: number };

/** The users' storage, locked until the transaction ends. */
export const lockUserStorage = (tx: Executor, userIds: string[]) =>
  lockKeys(
    tx,
    userIds.map((u) => `storage-quota:${u}`),
  );

/** Every file row of the user. */
export async function storageUsage(db: Executor, userId: string): Promise<StorageUsage> {
  const row = await queryRow<UsageRow>(
    db,
    sql`select coalesce(sum(size), 0)::float8 as bytes, count(*)::int as files
          from files where user_id = ${userId}::uuid`,
  );
  return { bytes: Number(row?.bytes ?? 0), files: Number(row?.files ?? 0) };
}

/**
 * Per user, their usage; per (user, filename) of `names`, what their indexed file of that name takes
 * (a new upload of that name replaces it once indexed, so the quota leaves it out).
 */
async function usageFor(
  db: Executor,
  names: { userId: string; filename: string }[],
): Promise<{ total: Map<string, StorageUsage>; replaced: Map<string, StorageUsage> }> {
  const users = [...new Set(names.map((n) => n.userId))];
  const totals = await queryRows<UsageRow>(
    db,
    sql`select user_id::text as user_id, coalesce(sum(size), 0)::float8 as bytes, count(*)::int as files
          from files where user_id = any(${sql.param(users)}::uuid[]) group by user_id`,
  );
  const same = await queryRows<UsageRow & { filename: string }>(
    db,
    sql`select f.user_id::text as user_id, f.filename, sum(f.size)::float8 as bytes, count(*)::int as files
          from files f
          join (select distinct user_id, filename
                  from unnest(${sql.param(names.map((n) => n.userId))}::uuid[],
                              ${sql.param(names.map((n) => n.filename))}::text[]) as t(user_id, filename)) t
            on f.user_id = t.user_id and f.filename = t.filename
         where f.status = 'indexed'
         group by f.user_id, f.filename`,
  );
  const usage = (r: UsageRow) => ({ bytes: Number(r.bytes), files: Number(r.files) });
  return {
    total: new Map(totals.map((r) => [r.user_id, usage(r)])),
    replaced: new Map(same.map((r) => [nameKey(r.user_id, r.filename), usage(r)])),
  };
}

const nameKey = (userId: string, filename: string) => `${userId}\u0000${filename}`;

/**
 * The quota's refusals among new files (by job id; duplicates of indexed bytes are not new), admitting
 * them in order while they fit. Run under `lockUserStorage` of their users.
 */
export async function quotaRefusals(tx: Executor, fresh: NewJob[], quota: QuotaCheck) {
  const refused = new Map<string, { code: string; reason: string }>();
  if (fresh.length === 0) return refused;
  const { total, replaced } = await usageFor(tx, fresh);
  const admitted = new Map<string, StorageUsage>();
  for (const j of fresh) {
    const base = total.get(j.userId) ?? { bytes: 0, files: 0 };
    const old = replaced.get(nameKey(j.userId, j.filename)) ?? { bytes: 0, files: 0 };
    const added = admitted.get(j.userId) ?? { bytes: 0, files: 0 };
    const usage = {
      bytes: base.bytes - old.bytes + added.bytes,
      files: base.files - old.files + added.files,
    };
    const refusal = quota(usage, j);
    if (refusal) refused.set(j.jobId, refusal);
    else admitted.set(j.userId, { bytes: added.bytes + j.size, files: added.files + 1 });
  }
  return refused;
}
