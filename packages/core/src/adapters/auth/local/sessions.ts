import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';

import type { Db } from '../../../db/database';
import { returned, type Executor } from '../../postgres/sql-helpers';
import { retiredRefreshTokens, sessions, users } from '../../../db/schema';
import type { Clock } from '../../../ports/clock';
import type { AuthTokens, Session } from '../../../ports/auth-provider';
import { hashToken, randomToken } from '../opaque-tokens';
import type { AccessTokens } from './access-tokens';
import { toAuthUser, type UserRow } from './users-repo';

/**
 * Server-side sessions. An access token is honoured only while its session row is neither revoked nor
 * expired, so logout, password reset and expiry take effect at once. Refresh tokens rotate on every use.
 */
export function createSessionStore(opts: {
  db: Db;
  clock: Clock;
  tokens: AccessTokens;
  refreshTtlSeconds: number;
  /** Live sessions a user may hold; opening one more revokes the oldest. */
  maxSessionsPerUser: number;
  onReuse?: (info: { sessionId: string; userId: string }) => void;
}) {
  const { db, clock, tokens, refreshTtlSeconds, maxSessionsPerUser } = opts;

  async function issue(
    user: UserRow,
    sessionId: string,
    refreshToken: string,
  ): Promise<AuthTokens> {
    const accessToken = await tokens.sign({ userId: user.id, sessionId });
    return { user: toAuthUser(user), accessToken, refreshToken, expiresIn: tokens.ttlSeconds };
  }

  const expiry = () => new Date(clock.now().getTime() + refreshTtlSeconds * 1000);

  /** Revokes the user's oldest live sessions beyond the cap (a stolen password cannot hoard them). */
  async function capSessions(userId: string) {
    const live = await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, clock.now()),
        ),
      )
      .orderBy(asc(sessions.createdAt), asc(sessions.id));
    const excess = live.slice(0, Math.max(0, live.length - maxSessionsPerUser)).map((r) => r.id);
    if (excess.length)
      await db.update(sessions).set({ revokedAt: clock.now() }).where(inArray(sessions.id, excess));
  }

  /**
   * A rotated-out refresh token presented again: its family leaked (or the client raced itself).
   * Either way the session is revoked, so a thief's copy and the owner's both stop working.
   */
  async function detectReuse(tokenHash: string): Promise<void> {
    const [retired] = await db
      .select({ sessionId: retiredRefreshTokens.sessionId, userId: sessions.userId })
      .from(retiredRefreshTokens)
      .innerJoin(sessions, eq(sessions.id, retiredRefreshTokens.sessionId))
      .where(eq(retiredRefreshTokens.tokenHash, tokenHash))
      .limit(1);
    if (!retired) return;
    await db
      .update(sessions)
      .set({ revokedAt: clock.now() })
      .where(and(eq(sessions.id, retired.sessionId), isNull(sessions.revokedAt)));
    opts.onReuse?.(retired);
  }

  return {
    async open(user: UserRow): Promise<AuthTokens> {
      // The user's dead sessions are swept as new ones open, so the table does not grow without bound.
      await db
        .delete(sessions)
        .where(
          and(
            eq(sessions.userId, user.id),
            or(lt(sessions.expiresAt, clock.now()), isNotNull(sessions.revokedAt)),
          ),
        );
      const refreshToken = randomToken();
      const rows = await db
        .insert(sessions)
        .values({
          userId: user.id,
          refreshTokenHash: hashToken(refreshToken),
          createdAt: clock.now(),
          expiresAt: expiry(),
        })
        .returning({ id: sessions.id });
      await capSessions(user.id);
      return issue(user, returned(rows, 'open session').id, refreshToken);
    },

    async verify(token: string): Promise<Session | null> {
      const claims = await tokens.verify(token);
      if (!claims) return null;
      // Only what a session carries: every request runs this select, and each column read and mapped costs.
      const [row] = await db
        .select({
          user: { id: users.id, email: users.email, createdAt: users.createdAt },
          sessionId: sessions.id,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.id, claims.sessionId),
            eq(sessions.userId, claims.userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, clock.now()),
          ),
        )
        .limit(1);
      if (!row) return null;
      return {
        userId: row.user.id,
        email: row.user.email,
        userCreatedAt: row.user.createdAt,
        sessionId: row.sessionId,
        accessToken: token,
      };
    },

    /**
     * Exchanges a live refresh token for new tokens, atomically (two concurrent uses: one wins). When
     * `userId` is given the token must belong to that user (a caller cannot refresh someone else's session).
     */
    async refresh(refreshToken: string, userId?: string): Promise<AuthTokens | null> {
      const next = randomToken();
      const presented = hashToken(refreshToken);
      const conditions = [
        eq(sessions.refreshTokenHash, presented),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, clock.now()),
      ];
      if (userId) conditions.push(eq(sessions.userId, userId));
      const [row] = await db
        .update(sessions)
        .set({ refreshTokenHash: hashToken(next), expiresAt: expiry() })
        .where(and(...conditions))
        .returning({ id: sessions.id, userId: sessions.userId });
      if (!row) {
        await detectReuse(presented);
        return null;
      }
      await db
        .insert(retiredRefreshTokens)
        .values({ tokenHash: presented, sessionId: row.id, retiredAt: clock.now() })
        .onConflictDoNothing();
      const [user] = await db.select().from(users).where(eq(users.id, row.userId)).limit(1);
      return user ? issue(user, row.id, next) : null;
    },

    /** Revokes one session of one user (the caller's own). */
    async revoke(sessionId: string, userId: string): Promise<void> {
      await db
        .update(sessions)
        .set({ revokedAt: clock.now() })
        .where(
          and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)),
        );
    },

    /** Revokes every live session of a user; `on` joins a caller's transaction (a password reset). */
    async revokeAll(userId: string, on: Executor = db): Promise<void> {
      await on
        .update(sessions)
        .set({ revokedAt: clock.now() })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
