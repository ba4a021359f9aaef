import { and, count, desc, eq, gt, lt, min } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { loginAttempts, signupAttempts } from '../../db/schema';
import type { AttemptWindow, LoginAttempts } from '../../ports/login-attempts';
import { returned, type Executor } from './sql-helpers';
import { lockKeys } from './advisory-locks';

/** The login_attempts and signup_attempts tables (shared by every gateway on the same database). */
export function createPostgresLoginAttempts(db: Db): LoginAttempts {
  return attemptsOn(db, (keys, fn) =>
    db.transaction(async (tx) => {
      await lockKeys(tx, keys);
      return fn(attemptsOn(tx, () => Promise.reject(new Error('serialized calls do not nest'))));
    }),
  );
}

function attemptsOn(db: Executor, serialized: LoginAttempts['serialized']): LoginAttempts {
  const inWindow = (w: AttemptWindow) =>
    and(gt(loginAttempts.createdAt, w.since), lt(loginAttempts.id, w.upTo + 1));
  return {
    serialized,
    async prune(before) {
      await db.delete(loginAttempts).where(lt(loginAttempts.createdAt, before));
      await db.delete(signupAttempts).where(lt(signupAttempts.createdAt, before));
    },
    async recordSignup(clientIp, at) {
      const rows = await db
        .insert(signupAttempts)
        .values({ clientIp, createdAt: at })
        .returning({ id: signupAttempts.id });
      return returned(rows, 'sign-up attempt insert').id;
    },
    async signups(clientIp, w) {
      const [row] = await db
        .select({ n: count(), oldest: min(signupAttempts.createdAt) })
        .from(signupAttempts)
        .where(
          and(
            eq(signupAttempts.clientIp, clientIp),
            gt(signupAttempts.createdAt, w.since),
            lt(signupAttempts.id, w.upTo + 1),
          ),
        );
      return { n: row?.n ?? 0, oldest: row?.oldest ?? null };
    },
    async removeSignup(id) {
      await db.delete(signupAttempts).where(eq(signupAttempts.id, id));
    },
    async record(email, clientIp, at) {
      const rows = await db
        .insert(loginAttempts)
        .values({ email, clientIp, succeeded: false, createdAt: at })
        .returning({ id: loginAttempts.id });
      return returned(rows, 'login attempt insert').id;
    },
    async recentOfPair(email, clientIp, window, limit) {
      return db
        .select({
          id: loginAttempts.id,
          succeeded: loginAttempts.succeeded,
          at: loginAttempts.createdAt,
        })
        .from(loginAttempts)
        .where(
          and(
            eq(loginAttempts.email, email),
            eq(loginAttempts.clientIp, clientIp),
            inWindow(window),
          ),
        )
        .orderBy(desc(loginAttempts.id))
        .limit(limit);
    },
    async failures(by, window) {
      const column =
        'email' in by ? eq(loginAttempts.email, by.email) : eq(loginAttempts.clientIp, by.clientIp);
      const [row] = await db
        .select({ n: count(), oldest: min(loginAttempts.createdAt) })
        .from(loginAttempts)
        .where(and(column, eq(loginAttempts.succeeded, false), inWindow(window)));
      return { n: row?.n ?? 0, oldest: row?.oldest ?? null };
    },
    async markSucceeded(id) {
      await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, id));
    },
    async remove(id) {
      await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
    },
    async clearAccount(email) {
      await db.delete(loginAttempts).where(eq(loginAttempts.email, email));
    },
  };
}
