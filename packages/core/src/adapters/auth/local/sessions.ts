import { and, eq, gt, isNotNull, isNull, lt, or } from 'drizzle-orm';

import type { Db } from '../../../db/database';
import { sessions, users } from '../../../db/schema';
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
}) {
  const { db, clock, tokens, refreshTtlSeconds } = opts;

  async function issue(
    user: UserRow,
    sessionId: string,
    refreshToken: string,
  ): Promise<AuthTokens> {
    const accessToken = await tokens.sign({ userId: user.id, sessionId });
    return { user: toAuthUser(user), accessToken, refreshToken, expiresIn: tokens.ttlSeconds };
  }

  const expiry = () => new Date(clock.now().getTime() + refreshTtlSeconds * 1000);

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
      const [row] = await db
        .insert(sessions)
        .values({
          userId: user.id,
          refreshTokenHash: hashToken(refreshToken),
          createdAt: clock.now(),
          expiresAt: expiry(),
        })
        .returning({ id: sessions.id });
      return issue(user, row!.id, refreshToken);
    },

    async verify(token: string): Promise<Session | null> {
      const claims = await tokens.verify(token);
      if (!claims) return null;
      const [row] = await db
        .select({ user: users, sessionId: sessions.id })
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
      const conditions = [
        eq(sessions.refreshTokenHash, hashToken(refreshToken)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, clock.now()),
      ];
      if (userId) conditions.push(eq(sessions.userId, userId));
      const [row] = await db
        .update(sessions)
        .set({ refreshTokenHash: hashToken(next), expiresAt: expiry() })
        .where(and(...conditions))
        .returning({ id: sessions.id, userId: sessions.userId });
      if (!row) return null;
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

    async revokeAll(userId: string, tx: Db = db): Promise<void> {
      await tx
        .update(sessions)
        .set({ revokedAt: clock.now() })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
