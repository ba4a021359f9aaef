import { and, desc, eq, gt, lt } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { loginAttempts } from '../../db/schema';
import type { Clock } from '../../ports/clock';

export type ThrottleSettings = { maxFailures: number; windowSeconds: number };

/**
 * Login throttling per e-mail, kept in the database so every gateway instance sees the same counter:
 * after `maxFailures` consecutive failed logins within the window, further attempts are refused until
 * the oldest of those failures leaves the window. A successful login ends the run of failures.
 */
export function createLoginThrottle(db: Db, clock: Clock, settings: ThrottleSettings) {
  const windowStart = () => new Date(clock.now().getTime() - settings.windowSeconds * 1000);

  return {
    /** Seconds until the e-mail may try again, or null when it is not locked. */
    async lockedFor(email: string): Promise<number | null> {
      const recent = await db
        .select({ succeeded: loginAttempts.succeeded, at: loginAttempts.createdAt })
        .from(loginAttempts)
        .where(and(eq(loginAttempts.email, email), gt(loginAttempts.createdAt, windowStart())))
        .orderBy(desc(loginAttempts.createdAt), desc(loginAttempts.id))
        .limit(settings.maxFailures);
      const run = recent.findIndex((a) => a.succeeded);
      if ((run === -1 ? recent.length : run) < settings.maxFailures) return null;
      const oldest = recent[settings.maxFailures - 1]!.at.getTime();
      return Math.max(
        1,
        Math.ceil((oldest + settings.windowSeconds * 1000 - clock.now().getTime()) / 1000),
      );
    },

    async record(email: string, succeeded: boolean): Promise<void> {
      // Rows older than the window can never matter again.
      await db.delete(loginAttempts).where(lt(loginAttempts.createdAt, windowStart()));
      await db.insert(loginAttempts).values({ email, succeeded, createdAt: clock.now() });
    },
  };
}
