import { and, count, desc, eq, gt, lt, min } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { loginAttempts } from '../../db/schema';
import type { Clock } from '../../ports/clock';

export type ThrottleSettings = {
  /** Consecutive failures of one account from one address (the usual lock). */
  maxFailures: number;
  /** Failures of one account from all addresses: a higher ceiling against spread-out guessing. */
  maxAccountFailures: number;
  /** Failures from one address on all accounts (credential stuffing). */
  maxAddressFailures: number;
  windowSeconds: number;
};

/**
 * Login throttling kept in the database, so every gateway instance sees the same counters. An attempt
 * is recorded as a failure BEFORE the password is checked and then counted with the others, so
 * concurrent attempts (a tRPC batch, parallel requests) cannot all pass a check made before any of
 * them was counted. Three limits, as identity providers do: account+address (a success from that
 * address ends its run), address, and a higher account-wide ceiling. An attacker locking their own
 * address does not lock the owner out elsewhere; a completed password reset clears the account.
 */
export function createLoginThrottle(db: Db, clock: Clock, settings: ThrottleSettings) {
  const windowMs = settings.windowSeconds * 1000;
  const windowStart = () => new Date(clock.now().getTime() - windowMs);
  const retryAfter = (oldest: Date | null) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? 0) + windowMs - clock.now().getTime()) / 1000));

  /** Failures up to attempt `upTo` since the pair's last success, newest first. */
  async function pairFailures(email: string, clientIp: string, upTo: number) {
    const recent = await db
      .select({ id: loginAttempts.id, ok: loginAttempts.succeeded, at: loginAttempts.createdAt })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.email, email),
          eq(loginAttempts.clientIp, clientIp),
          gt(loginAttempts.createdAt, windowStart()),
          lt(loginAttempts.id, upTo + 1),
        ),
      )
      .orderBy(desc(loginAttempts.id))
      .limit(settings.maxFailures + 1);
    const lastOk = recent.findIndex((r) => r.ok);
    return lastOk === -1 ? recent : recent.slice(0, lastOk);
  }

  async function failuresWhere(column: 'email' | 'clientIp', value: string, upTo: number) {
    const [row] = await db
      .select({ n: count(), oldest: min(loginAttempts.createdAt) })
      .from(loginAttempts)
      .where(
        and(
          eq(column === 'email' ? loginAttempts.email : loginAttempts.clientIp, value),
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.createdAt, windowStart()),
          lt(loginAttempts.id, upTo + 1),
        ),
      );
    return { n: row?.n ?? 0, oldest: row?.oldest ?? null };
  }

  return {
    /**
     * Counts this attempt and decides: `{ attempt }` to go on and check the password, or
     * `{ retryAfter }` (seconds) when a limit is reached; a refused attempt is not kept (it checked
     * nothing, so it must not extend anyone's lock).
     */
    async begin(
      email: string,
      clientIp: string,
    ): Promise<{ attempt: number; retryAfter?: undefined } | { retryAfter: number }> {
      await db.delete(loginAttempts).where(lt(loginAttempts.createdAt, windowStart()));
      const [row] = await db
        .insert(loginAttempts)
        .values({ email, clientIp, succeeded: false, createdAt: clock.now() })
        .returning({ id: loginAttempts.id });
      const id = row!.id;
      const pair = await pairFailures(email, clientIp, id);
      const account = await failuresWhere('email', email, id);
      const address = clientIp ? await failuresWhere('clientIp', clientIp, id) : { n: 0 };
      let wait: number | null = null;
      if (pair.length > settings.maxFailures) {
        // The lock lifts when the oldest counted failure of the run leaves the window.
        wait = retryAfter(pair[pair.length - 1]!.at);
      } else if (account.n > settings.maxAccountFailures) {
        wait = retryAfter(account.oldest);
      } else if ('oldest' in address && address.n > settings.maxAddressFailures) {
        wait = retryAfter(address.oldest);
      }
      if (wait === null) return { attempt: id };
      await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
      return { retryAfter: wait };
    },

    async succeeded(attempt: number): Promise<void> {
      await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attempt));
    },

    /** Not the user's fault (provider down): the attempt does not count. */
    async discard(attempt: number): Promise<void> {
      await db.delete(loginAttempts).where(eq(loginAttempts.id, attempt));
    },

    /** After a completed password reset the account starts clean, from every address. */
    async clearAccount(email: string): Promise<void> {
      await db.delete(loginAttempts).where(eq(loginAttempts.email, email));
    },
  };
}
