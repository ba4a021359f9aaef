import { desc, eq, sql, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { chatHistory as ch, userChat } from '../../db/schema/email-sync';
import type {
  ChatHistoryRecord,
  EmailSyncStore,
  SyncScope,
  UserChatRecord,
} from '../../ports/email-sync-store';
import { queryRow, queryRows, returned, timestamptz, toNumber } from './sql-helpers';

type ChatHistoryRow = typeof ch.$inferSelect;

function toChatHistory(r: ChatHistoryRow): ChatHistoryRecord {
  return {
    logId: r.logId,
    nameApp: r.nameApp,
    appId: r.appId,
    inputText: r.inputText,
    outputText: r.outputText,
    conversationId: r.conversationId,
    email: r.email,
    userId: r.userId,
    createdAt: r.createdAt,
  };
}

/** The pending rows of a scope (`user_id is null` makes a row count for one concurrent caller only). */
function scopeFilter(scope: SyncScope): SQL {
  const parts: SQL[] = [sql`${ch.userId} is null`];
  if (scope.since) parts.push(sql`${ch.createdAt} >= ${timestamptz(scope.since)}`);
  if (scope.fromLogId !== undefined) parts.push(sql`${ch.logId} >= ${scope.fromLogId}`);
  if (scope.toLogId !== undefined) parts.push(sql`${ch.logId} <= ${scope.toLogId}`);
  return sql.join(parts, sql` and `);
}

// Selecting the documented columns only: nothing else about a user can ever leave through these routes.
const userChatColumns = {
  id: userChat.id,
  appId: userChat.appId,
  conversationId: userChat.conversationId,
  email: userChat.email,
  userId: userChat.userId,
  nameApp: userChat.nameApp,
  createdAt: userChat.createdAt,
};

/**
 * chat_history and user_chat. The e-mail normalisation and the insert notification are database
 * triggers (migration email-sync/0001), so rows written by plain SQL behave the same.
 */
export function createPostgresEmailSyncStore(db: Db): EmailSyncStore {
  return {
    async addChatHistory(row) {
      const rows = await db.insert(ch).values(row).returning();
      return toChatHistory(returned(rows, 'chat_history insert'));
    },
    async chatHistory(logId) {
      const [row] = await db.select().from(ch).where(eq(ch.logId, logId));
      return row && toChatHistory(row);
    },
    async countPendingWithoutEmail(scope) {
      const row = await queryRow<{ n: unknown }>(
        db,
        sql`select count(*)::int as n from ${ch} where ${scopeFilter(scope)} and ${ch.emailNormalized} is null`,
      );
      return toNumber(row?.n);
    },
    async pendingEmails(scope, after, limit) {
      const rows = await queryRows<{ email: string; n: unknown }>(
        db,
        sql`select ${ch.emailNormalized} as email, count(*)::int as n from ${ch}
            where ${scopeFilter(scope)} and ${ch.emailNormalized} > ${after}
            group by ${ch.emailNormalized} order by ${ch.emailNormalized} limit ${limit}`,
      );
      return rows.map((r) => ({ email: r.email, rows: toNumber(r.n) }));
    },
    /** The unique key on (email, conversation_id) with DO NOTHING keeps every path idempotent. */
    async linkPending(scope, matches) {
      const wire = matches.map((m) => ({ email: m.email, user_id: m.userId }));
      const row = await queryRow<{ linked: unknown; created: unknown }>(
        db,
        sql`with m as (
              select * from json_to_recordset(${JSON.stringify(wire)}::json) as m(email text, user_id text)
            ), linked as (
              update ${ch} set user_id = m.user_id, synced_at = now()
              from m where ${ch.emailNormalized} = m.email and ${scopeFilter(scope)}
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
      return { linked: toNumber(row?.linked), created: toNumber(row?.created) };
    },
    async listUserChats(page, where): Promise<UserChatRecord[]> {
      const filter = !where
        ? undefined
        : 'userId' in where
          ? eq(userChat.userId, where.userId)
          : eq(userChat.email, where.email);
      return db
        .select(userChatColumns)
        .from(userChat)
        .where(filter)
        .orderBy(desc(userChat.createdAt), desc(userChat.id))
        .limit(page.limit)
        .offset(page.offset);
    },
  };
}
