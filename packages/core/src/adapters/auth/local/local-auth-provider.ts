import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';

import { AuthMessages } from '../../../domain/auth/messages';
import { signupPolicy } from '../../../domain/auth/signup-policy';
import type { Db } from '../../../db/database';
import type { Env } from '../../../env';
import { AppError } from '../../../errors';
import type { AuthProvider, AuthTokens, OAuthResult } from '../../../ports/auth-provider';
import type { Clock } from '../../../ports/clock';
import type { Mailer } from '../../../ports/mailer';
import { createOAuthFlowStore, OAuthFailure } from '../oauth-flows';
import { createAccessTokens } from './access-tokens';
import { resolveGoogleUser } from './google-accounts';
import { createGoogleOidc, type OidcProfile } from './google-oidc';
import { loadJwtSecret } from './jwt-secret';
import { createPasswordReset } from './password-reset';
import { burnVerification, hashPassword, verifyPassword } from './passwords';
import { createSessionStore } from './sessions';
import { createUsersRepo } from './users-repo';

export type LocalAuthOptions = {
  env: Env;
  db: Db;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  dataDir: string;
};

/**
 * The embedded provider: users in our own database, argon2id password hashes, HS256 access tokens bound
 * to server-side sessions, rotating refresh tokens, mailed reset tokens and Google/OIDC sign-in.
 * E-mails reaching it are already normalised and passwords already checked against the rules (domain).
 */
export function createLocalAuthProvider(opts: LocalAuthOptions): AuthProvider {
  const { env, db, clock, log } = opts;
  const users = createUsersRepo(db);
  const tokens = createAccessTokens({
    secret: loadJwtSecret(env.JWT_SECRET, opts.dataDir),
    clock,
    ttlSeconds: env.ACCESS_TOKEN_TTL_S,
  });
  const sessions = createSessionStore({
    db,
    clock,
    tokens,
    refreshTtlSeconds: env.REFRESH_TOKEN_TTL_S,
    maxSessionsPerUser: env.MAX_SESSIONS_PER_USER,
    onReuse: (info) =>
      log.warn(info, 'refresh token reused after rotation: session revoked (possible token theft)'),
  });
  const reset = createPasswordReset({
    db,
    clock,
    log,
    mailer: opts.mailer,
    users,
    sessions,
    ttlSeconds: env.RESET_TOKEN_TTL_S,
    defaultRedirect: env.PUBLIC_URL,
  });
  const signup = signupPolicy(env);
  const google = createGoogleOidc({ env, clock, log, flows: createOAuthFlowStore(db, clock) });

  async function signInWithProfile(profile: OidcProfile): Promise<OAuthResult> {
    const user = await resolveGoogleUser(profile, {
      repo: users,
      sessions,
      now: () => clock.now(),
      signup,
    });
    return { ...(await sessions.open(user)), provider: 'google' };
  }

  /** Runs an OAuth step, turning its failure reason into the route's documented message. */
  async function oauthStep<T>(
    run: () => Promise<T>,
    message: (reason: string) => string,
  ): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof OAuthFailure) {
        // A refused sign-up keeps its own whole message (403), like the sign-up route's.
        if (e.kind === 'forbidden') throw new AppError('FORBIDDEN', e.reason, { cause: e });
        throw new AppError(
          e.kind === 'unavailable' ? 'UNAVAILABLE' : 'BAD_REQUEST',
          message(e.reason),
          { cause: e },
        );
      }
      throw e;
    }
  }

  return {
    name: google.configured
      ? 'local (argon2id + JWT sessions, Google OIDC)'
      : 'local (argon2id + JWT sessions)',

    async signUp({ email, password }): Promise<AuthTokens> {
      const passwordHash = await hashPassword(password);
      const now = clock.now();
      const user = await users.insert({ email, passwordHash, createdAt: now, updatedAt: now });
      if (!user)
        throw new AppError('BAD_REQUEST', AuthMessages.signupFailed(AuthMessages.emailTaken));
      return sessions.open(user);
    },

    async signIn({ email, password }): Promise<AuthTokens> {
      const user = await users.byEmail(email);
      const ok = user?.passwordHash
        ? await verifyPassword(user.passwordHash, password)
        : await burnVerification(password);
      if (!user || !ok) throw new AppError('UNAUTHORIZED', AuthMessages.wrongCredentials);
      return sessions.open(user);
    },

    async signOut(session) {
      if (session.sessionId) await sessions.revoke(session.sessionId, session.userId);
    },

    async refresh(refreshToken, expectedUserId) {
      const next = await sessions.refresh(refreshToken, expectedUserId);
      if (!next) throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
      return next;
    },

    verifyAccessToken: (token) => sessions.verify(token),

    forgotPassword: ({ email, redirectTo }) => reset.request(email, redirectTo),

    resetPassword: ({ accessToken, password }) => reset.reset(accessToken, password),

    googleAuthUrl: ({ redirectUrl }) =>
      oauthStep(() => google.authorizationUrl(redirectUrl), AuthMessages.error),

    googleCallback: (input) =>
      oauthStep(
        async () => signInWithProfile(await google.exchangeCode(input)),
        AuthMessages.oauthError,
      ),

    async googleSignIn({ code, accessToken, state, iss }) {
      if (code)
        return oauthStep(
          async () => signInWithProfile(await google.exchangeCode({ code, state, iss })),
          AuthMessages.codeFailed,
        );
      if (accessToken)
        return oauthStep(
          async () => signInWithProfile(await google.verifyToken(accessToken)),
          AuthMessages.authError,
        );
      throw new AppError('BAD_REQUEST', AuthMessages.codeOrToken);
    },

    findUsersByEmails: (emails) => users.idsByEmails(emails),

    async ping() {
      await db.execute(sql`select 1 from users limit 1`);
    },
  };
}
