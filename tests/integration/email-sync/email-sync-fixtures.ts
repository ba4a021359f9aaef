import { sql } from 'drizzle-orm';
import { vi } from 'vitest';

import { openPostgres, schema, type Database, type Db } from '@rag/core/testing';

import { createScratchDatabase } from '../../support/databases';

/** A stand-in for the auth port's set-based lookup: registered e-mails → ids; counts its calls. */
export function userDirectory(entries: Record<string, string> = {}) {
  const users = new Map(Object.entries(entries));
  const calls: string[][] = [];
  return {
    calls,
    add(email: string, id: string) {
      users.set(email, id);
    },
    async findUsersByEmails(emails: string[]) {
      calls.push([...emails]);
      return new Map(emails.flatMap((e) => (users.has(e) ? [[e, users.get(e)!] as const] : [])));
    },
  };
}

export type ChatRowInput = {
  conversation_id: string;
  email?: string | null;
  input_text?: string;
  name_app?: string;
  app_id?: string | null;
  created_at?: Date;
};

/** Inserts chat_history rows the way an external writer would (plain SQL, one statement). */
export async function insertChatRows(db: Db, rows: ChatRowInput[]): Promise<number[]> {
  const inserted = await db
    .insert(schema.chatHistory)
    .values(
      rows.map((r) => ({
        nameApp: r.name_app ?? 'Bot',
        appId: r.app_id ?? null,
        inputText: r.input_text ?? 'Xin chào',
        outputText: 'Chào bạn!',
        conversationId: r.conversation_id,
        email: r.email ?? null,
        ...(r.created_at ? { createdAt: r.created_at } : {}),
      })),
    )
    .returning({ logId: schema.chatHistory.logId });
  return inserted.map((r) => r.logId);
}

export async function userChatRows(db: Db) {
  return db
    .select()
    .from(schema.userChat)
    .orderBy(schema.userChat.email, schema.userChat.conversationId);
}

/** Counts statements sent to the database (PGlite instance or node-postgres pool). */
export function countQueries(database: Database) {
  // Spies call through; each counts the statements sent through its method.
  const spies = database.pglite
    ? [vi.spyOn(database.pglite, 'query'), vi.spyOn(database.pglite, 'exec')]
    : database.pool
      ? [vi.spyOn(database.pool, 'query')]
      : [];
  const total = () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
  let base = 0;
  return {
    get count() {
      return total() - base;
    },
    reset() {
      base = total();
    },
  };
}

export async function truncateEmailSync(db: Db) {
  await db.execute(sql`truncate chat_history, user_chat restart identity`);
}

/** A fresh database on the test cluster, migrated like a gateway would (no pgvector there). */
export async function createMigratedPostgres(baseUrl: string): Promise<string> {
  const url = await createScratchDatabase(baseUrl);
  const database = await openPostgres(url, 2);
  try {
    await database.migrate({ skip: ['pgvector-index'] });
  } finally {
    await database.close();
  }
  return url;
}
