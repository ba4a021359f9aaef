/** One recorded login attempt, as the throttle reads it back. */
export type LoginAttempt = { id: number; succeeded: boolean; at: Date };

/** Which attempts a count looks at: one account's or one address's, after `since`, up to `upTo`. */
export type AttemptWindow = { since: Date; upTo: number };

/**
 * The login and sign-up attempts of every gateway (kept in the database, so all instances see the same
 * counts). The throttles' rules live in the domain (`domain/auth/login-throttle.ts`,
 * `domain/auth/signup-throttle.ts`); this only stores and counts.
 */
export type LoginAttempts = {
  /**
   * Runs `fn` with the attempts of `keys` to itself: another `serialized` call sharing a key waits until
   * this one's writes are visible, so record-then-count sees every attempt before it (on PostgreSQL an
   * insert can take its id before another's and commit after that one has counted).
   */
  serialized<T>(keys: string[], fn: (attempts: LoginAttempts) => Promise<T>): Promise<T>;
  /** Forgets login and sign-up attempts older than `before`. */
  prune(before: Date): Promise<void>;
  /** Records a sign-up attempt from an address; returns its increasing id. */
  recordSignup(clientIp: string, at: Date): Promise<number>;
  /** The address's sign-up attempts in the window, and the oldest one's time. */
  signups(clientIp: string, window: AttemptWindow): Promise<{ n: number; oldest: Date | null }>;
  removeSignup(id: number): Promise<void>;
  /** Records a failed attempt (it counts until marked succeeded); returns its increasing id. */
  record(email: string, clientIp: string, at: Date): Promise<number>;
  /** The pair's attempts (both outcomes) in the window, newest first, at most `limit`. */
  recentOfPair(
    email: string,
    clientIp: string,
    window: AttemptWindow,
    limit: number,
  ): Promise<LoginAttempt[]>;
  /** Failed attempts of one account or one address in the window, and the oldest one's time. */
  failures(
    by: { email: string } | { clientIp: string },
    window: AttemptWindow,
  ): Promise<{ n: number; oldest: Date | null }>;
  markSucceeded(id: number): Promise<void>;
  remove(id: number): Promise<void>;
  /** Forgets every attempt on the account, from every address. */
  clearAccount(email: string): Promise<void>;
};
