import type { Clock } from '../../ports/clock';
import type { LoginAttempts } from '../../ports/login-attempts';

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
 * is recorded as a failure BEFORE the password is checked and then counted with the others, one
 * attempt of an account or an address at a time (on every gateway), so concurrent attempts (a tRPC
 * batch, parallel requests) cannot all pass a check made before any of them was counted. Three
 * limits, as identity providers do: account+address (a success from that address ends its run),
 * address, and a higher account-wide ceiling. An attacker locking their own
 * address does not lock the owner out elsewhere; a completed password reset clears the account.
 */
export function createLoginThrottle(
  attempts: LoginAttempts,
  clock: Clock,
  settings: ThrottleSettings,
) {
  const windowMs = settings.windowSeconds * 1000;
  const windowStart = () => new Date(clock.now().getTime() - windowMs);
  const retryAfter = (oldest: Date | null) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? 0) + windowMs - clock.now().getTime()) / 1000));

  /** Failures up to attempt `upTo` since the pair's last success, newest first. */
  async function pairFailures(a: LoginAttempts, email: string, clientIp: string, upTo: number) {
    const recent = await a.recentOfPair(
      email,
      clientIp,
      { since: windowStart(), upTo },
      settings.maxFailures + 1,
    );
    const lastOk = recent.findIndex((r) => r.succeeded);
    return lastOk === -1 ? recent : recent.slice(0, lastOk);
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
      await attempts.prune(windowStart());
      // Attempts sharing the account or the address are counted one at a time.
      const keys = [`login-account:${email}`, ...(clientIp ? [`login-address:${clientIp}`] : [])];
      return attempts.serialized(keys, async (a) => {
        const id = await a.record(email, clientIp, clock.now());
        const pair = await pairFailures(a, email, clientIp, id);
        const account = await a.failures({ email }, { since: windowStart(), upTo: id });
        const address = clientIp
          ? await a.failures({ clientIp }, { since: windowStart(), upTo: id })
          : null;
        // The lock lifts when the oldest counted failure of the run leaves the window.
        const oldestOfRun = pair.at(-1);
        let wait: number | null = null;
        if (pair.length > settings.maxFailures && oldestOfRun) {
          wait = retryAfter(oldestOfRun.at);
        } else if (account.n > settings.maxAccountFailures) {
          wait = retryAfter(account.oldest);
        } else if (address && address.n > settings.maxAddressFailures) {
          wait = retryAfter(address.oldest);
        }
        if (wait === null) return { attempt: id };
        await a.remove(id);
        return { retryAfter: wait };
      });
    },

    succeeded(attempt: number): Promise<void> {
      return attempts.markSucceeded(attempt);
    },

    /** Not the user's fault (provider down): the attempt does not count. */
    discard(attempt: number): Promise<void> {
      return attempts.remove(attempt);
    },

    /** After a completed password reset the account starts clean, from every address. */
    clearAccount(email: string): Promise<void> {
      return attempts.clearAccount(email);
    },
  };
}
