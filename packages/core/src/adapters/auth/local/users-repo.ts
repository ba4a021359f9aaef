import { eq, inArray } from 'drizzle-orm';

import type { Db } from '../../../db/database';
import { users } from '../../../db/schema';
import type { AuthUser } from '../../../ports/auth-provider';

export type UserRow = typeof users.$inferSelect;

/** Unique-key violations come back with SQLSTATE 23505, wrapped by drizzle on some drivers. */
export function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    if ((cur as { code?: unknown }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    email: row.email,
    createdAt: row.createdAt,
    name: row.name,
    avatarUrl: row.avatarUrl,
  };
}

/** Users of the local provider. E-mails passed in are already normalised. */
export function createUsersRepo(db: Db) {
  return {
    async byEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
      return row;
    },
    async byId(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row;
    },
    async byGoogleSub(sub: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.googleSub, sub)).limit(1);
      return row;
    },
    /** Inserts a user; returns undefined when the e-mail (or Google subject) is already taken. */
    async insert(values: typeof users.$inferInsert): Promise<UserRow | undefined> {
      try {
        const [row] = await db.insert(users).values(values).returning();
        return row;
      } catch (e) {
        if (isUniqueViolation(e)) return undefined;
        throw e;
      }
    },
    async update(
      id: string,
      values: Partial<typeof users.$inferInsert>,
    ): Promise<UserRow | undefined> {
      const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
      return row;
    },
    async idsByEmails(emails: string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      if (emails.length === 0) return found;
      const rows = await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, emails));
      for (const row of rows) found.set(row.email, row.id);
      return found;
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
