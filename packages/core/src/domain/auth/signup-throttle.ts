import type { Clock } from '../../ports/clock';
import type { LoginAttempts } from '../../ports/login-attempts';
import { isLoopback } from '../../lib/net';

export type SignupThrottleSettings = { maxPerAddress: number; windowSeconds: number };

/**
 * At most `maxPerAddress` sign-up attempts per client address in the window, counted in the database
 * (every gateway sees them). An attempt is recorded before it is counted, so parallel sign-ups cannot
 * all pass one check; a refused one is not kept. Addresses unknown (in-process) and loopback (a local
 * script, or a proxy on this host that `TRUST_PROXY` does not name) are not counted.
 * Answers the seconds to wait, or undefined to go on.
 */
export async function signupWait(
  attempts: LoginAttempts,
  clock: Clock,
  settings: SignupThrottleSettings,
  clientIp: string | null,
): Promise<number | undefined> {
  if (settings.maxPerAddress === 0 || !clientIp || isLoopback(clientIp)) return undefined;
  const windowMs = settings.windowSeconds * 1000;
  const since = new Date(clock.now().getTime() - windowMs);
  await attempts.prune(since);
  // One attempt of an address at a time (on every gateway): each counts all before it.
  return attempts.serialized([`signup-address:${clientIp}`], async (a) => {
    const id = await a.recordSignup(clientIp, clock.now());
    const { n, oldest } = await a.signups(clientIp, { since, upTo: id });
    if (n <= settings.maxPerAddress) return undefined;
    await a.removeSignup(id);
    const lifts = (oldest?.getTime() ?? 0) + windowMs - clock.now().getTime();
    return Math.max(1, Math.ceil(lifts / 1000));
  });
}
