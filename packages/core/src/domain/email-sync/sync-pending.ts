import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { chatHistory as ch } from '../../db/schema/email-sync';
import type { AuthProvider } from '../../ports/auth-provider';
import type { Clock } from '../../ports/clock';

/** What the sync needs: the database and the auth provider's set-based user lookup. */
export type EmailSyncDeps = {
  db: Db;
  auth: Pick<AuthProvider, 'findUsersByEmails'>;
  clock: Clock;
};

/** Which pending rows a sync looks at. Omitted bounds mean "no limit". */
export type SyncScope = {
  /** Only rows created at or after this instant (the 24-hour window of check-and-sync). */
  since?: Date;
  /** Only rows whose log_id lies in this range (the rows a notification announced). */
  fromLogId?: number;
  toLogId?: number;
};

/**
 * `synced` = rows this call linked to a user; `skipped` = pending rows it examined and left pending
 * (no e-mail, or no such user); `total` = synced + skipped. Rows a concurrent sync linked first are
 * counted by that sync only.
 */
export type SyncCounts = {
  synced: number;
  skipped: number;
  total: number;
  userChatsCreated: number;
};

/** Distinct pending e-mails handled per batch: one user lookup and one write statement each. */
export const SYNC_BATCH_EMAILS = 1000;

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

function scopeFilter(scope: SyncScope): SQL {
  const parts: SQL[] = [sql`${ch.userId} is null`];
  if (scope.since) parts.push(sql`${ch.createdAt} >= ${scope.since.toISOString()}::timestamptz`);
  if (scope.fromLogId !== undefined) parts.push(sql`${ch.logId} >= ${scope.fromLogId}`);
  if (scope.toLogId !== undefined) parts.push(sql`${ch.logId} <= ${scope.toLogId}`);
  return sql.join(parts, sql` and `);
}

async function countWithoutEmail(db: Db, filter: SQL): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${ch} where ${filter} and ${ch.emailNormalized} is null`,
  );
  return Number(row?.n ?? 0);
}

/** Next batch of distinct pending e-mails after `after` (keyset order), with their row counts. */
async function pendingEmails(db: Db, filter: SQL, after: string, limit: number) {
  const rows = await rowsOf<{ email: string; n: number }>(
    db,
    sql`select ${ch.emailNormalized} as email, count(*)::int as n from ${ch}
        where ${filter} and ${ch.emailNormalized} > ${after}
        group by ${ch.emailNormalized} order by ${ch.emailNormalized} limit ${limit}`,
  );
  return rows.map((r) => ({ email: r.email, n: Number(r.n) }));
}

/**
 * One statement per batch: link the pending rows of the matched e-mails (`user_id is null` makes a
 * row count for exactly one concurrent caller) and create their user_chat rows; the unique key on
 * (email, conversation_id) with DO NOTHING keeps every path idempotent.
 */
async function linkRows(db: Db, filter: SQL, matches: { email: string; user_id: string }[]) {
  const [row] = await rowsOf<{ linked: number; created: number }>(
    db,
    sql`with m as (
          select * from json_to_recordset(${JSON.stringify(matches)}::json) as m(email text, user_id text)
        ), linked as (
          update ${ch} set user_id = m.user_id, synced_at = now()
          from m where ${ch.emailNormalized} = m.email and ${filter}
          returning ${ch.logId} as log_id, ${ch.conversationId} as conversation_id, ${ch.nameApp} as name_app,
                    ${ch.appId} as app_id, m.email as email, m.user_id as user_id
        ), created as (
          insert into user_chat (app_id, conversation_id, email, user_id, name_app)
          select distinct on (email, conversation_id) app_id, conversation_id, email, user_id, name_app
          from linked order by email, conversation_id, log_id
          on conflict (email, conversation_id) do nothing
          returning 1
        )
        select (select count(*) from linked)::int as linked, (select count(*) from created)::int as created`,
  );
  return { linked: Number(row?.linked ?? 0), created: Number(row?.created ?? 0) };
}

/**
 * Links pending chat_history rows to users by e-mail, set-based: per batch of up to `batchSize`
 * distinct e-mails, one grouped read, one user lookup and one write — never a query per row. Rows of
 * unknown e-mails stay pending, so they match once the user signs up.
 */
export async function syncPending(
  deps: EmailSyncDeps,
  scope: SyncScope = {},
  batchSize = SYNC_BATCH_EMAILS,
): Promise<SyncCounts> {
  const filter = scopeFilter(scope);
  let synced = 0;
  let userChatsCreated = 0;
  let skipped = await countWithoutEmail(deps.db, filter);
  let after = '';
  for (;;) {
    const batch = await pendingEmails(deps.db, filter, after, batchSize);
    const last = batch.at(-1);
    if (!last) break;
    after = last.email;
    const users = await deps.auth.findUsersByEmails(batch.map((b) => b.email));
    const matches: { email: string; user_id: string }[] = [];
    for (const { email, n } of batch) {
      const userId = users.get(email);
      if (userId) matches.push({ email, user_id: userId });
      else skipped += n;
    }
    if (matches.length > 0) {
      const result = await linkRows(deps.db, filter, matches);
      synced += result.linked;
      userChatsCreated += result.created;
    }
    if (batch.length < batchSize) break;
  }
  return { synced, skipped, total: synced + skipped, userChatsCreated };
}
