import type { Session as SupabaseSession } from '@supabase/supabase-js';
import type { Logger } from 'pino';

import { AuthMessages } from '../../../domain/auth/messages';
import type { Db } from '../../../db/database';
import type { Env } from '../../../env';
import { AppError } from '../../../errors';
import type { AuthProvider, OAuthResult, Session } from '../../../ports/auth-provider';
import type { Clock } from '../../../ports/clock';
import { createOAuthFlowStore, OAuthFailure } from '../oauth-flows';
import { gotrue, newSupabaseClient, type SupabaseTarget } from './supabase-clients';
import {
  gotrueMessage,
  isUnreachable,
  loginError,
  passwordUpdateError,
  signUpError,
  unreachable,
} from './supabase-errors';
import { sessionIdOf, toAuthUser, toTokens } from './supabase-mapping';
import { createSupabaseOAuth } from './supabase-oauth';
import { createSupabaseUserLookup } from './supabase-users';

export type SupabaseAuthOptions = {
  env: Env;
  db: Db;
  clock: Clock;
  log: Logger;
  url: string;
  key: string;
};

/**
 * Supabase Auth (GoTrue) behind the same interface, through supabase-js with a new, session-less client
 * per call. Logout revokes the caller's own session with the caller's token; token checks ask GoTrue, so a
 * revoked session is refused at once.
 */
export function createSupabaseAuthProvider(opts: SupabaseAuthOptions): AuthProvider {
  const { env, log } = opts;
  const target: SupabaseTarget = { url: opts.url, key: opts.key };
  const client = (flowType: 'pkce' | 'implicit' = 'implicit') =>
    newSupabaseClient(target, { flowType });
  const oauth = createSupabaseOAuth(target, createOAuthFlowStore(opts.db, opts.clock));
  const findUsersByEmails = createSupabaseUserLookup({
    target,
    serviceKey: env.SUPABASE_SERVICE_KEY,
    db: opts.db,
    sharedDatabase: Boolean(env.DATABASE_URL),
  });

  async function oauthStep(
    run: () => Promise<SupabaseSession>,
    message: (reason: string) => string,
  ): Promise<OAuthResult> {
    try {
      return { ...toTokens(await run()), provider: 'google' };
    } catch (e) {
      if (e instanceof OAuthFailure)
        throw new AppError('BAD_REQUEST', message(e.reason), { cause: e });
      throw e;
    }
  }

  async function signOutToken(token: string, scope: 'local' | 'global'): Promise<void> {
    const { error } = await client().auth.admin.signOut(token, scope);
    if (!error) return;
    if (isUnreachable(error)) throw unreachable(error);
    // An already-gone session is the outcome we wanted.
    if (error.status === 401 || error.status === 403 || error.status === 404) return;
    throw new AppError('BAD_REQUEST', AuthMessages.logoutFailed(gotrueMessage(error)), {
      cause: error,
    });
  }

  return {
    name: `supabase (${new URL(opts.url).host})`,

    async signUp({ email, password }) {
      const { data, error } = await client().auth.signUp({ email, password });
      if (error) throw signUpError(error);
      if (!data.user)
        throw new AppError(
          'BAD_REQUEST',
          AuthMessages.signupFailed('Đăng ký thất bại, vui lòng thử lại'),
        );
      // With e-mail confirmation on, GoTrue returns the user without a session: access_token stays "".
      if (!data.session)
        return {
          user: toAuthUser(data.user),
          accessToken: '',
          refreshToken: null,
          expiresIn: null,
        };
      return toTokens(data.session);
    },

    async signIn({ email, password }) {
      const { data, error } = await client().auth.signInWithPassword({ email, password });
      if (error) throw loginError(error);
      if (!data.session)
        throw new AppError(
          'BAD_REQUEST',
          AuthMessages.loginFailed('401: Đăng nhập thất bại, kiểm tra lại email và mật khẩu'),
        );
      return toTokens(data.session);
    },

    signOut: (session: Session) => signOutToken(session.accessToken, 'local'),

    async refresh(refreshToken, expectedUserId) {
      const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken });
      if (error) {
        if (isUnreachable(error)) throw unreachable(error);
        throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken, { cause: error });
      }
      if (!data.session) throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
      if (expectedUserId && data.session.user.id !== expectedUserId) {
        // Someone else's refresh token: the rotation already happened, so end that session rather than
        // hand its tokens to the wrong person.
        await signOutToken(data.session.access_token, 'local');
        throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
      }
      return toTokens(data.session);
    },

    async verifyAccessToken(token) {
      const { data, error } = await client().auth.getUser(token);
      if (error) {
        if (isUnreachable(error)) throw unreachable(error);
        return null;
      }
      const user = data.user;
      return {
        userId: user.id,
        email: user.email ?? '',
        userCreatedAt: new Date(user.created_at),
        sessionId: sessionIdOf(token),
        accessToken: token,
      };
    },

    async forgotPassword({ email, redirectTo }) {
      // Implicit flow: the mailed link carries #access_token=…&type=recovery, which reset-password takes.
      const { error } = await client('implicit').auth.resetPasswordForEmail(email, { redirectTo });
      if (!error) return;
      if (isUnreachable(error)) throw unreachable(error);
      // The answer never depends on the account, so GoTrue's refusals (e.g. its mail rate limit) are logged only.
      log.warn({ err: error }, 'Supabase refused the password reset e-mail');
    },

    async resetPassword({ accessToken, password }) {
      let res: Awaited<ReturnType<typeof gotrue>>;
      try {
        res = await gotrue(target, '/user', {
          method: 'PUT',
          bearer: accessToken,
          body: { password },
        });
      } catch (cause) {
        throw unreachable(cause);
      }
      if (res.status >= 300) throw passwordUpdateError(res.status, res.body);
      // A new password ends every session of the account, including the recovery one.
      await signOutToken(accessToken, 'global');
      const email = (res.body as { email?: unknown } | null)?.email;
      return { email: typeof email === 'string' ? email : null };
    },

    async googleAuthUrl({ redirectUrl }) {
      return oauth.authorizationUrl(redirectUrl);
    },

    googleCallback: ({ code, state }) =>
      oauthStep(() => oauth.exchange(code, state), AuthMessages.oauthError),

    async googleSignIn({ code, accessToken, state }) {
      if (code) return oauthStep(() => oauth.exchange(code, state), AuthMessages.codeFailed);
      if (!accessToken) throw new AppError('BAD_REQUEST', AuthMessages.codeOrToken);
      return oauthStep(async () => {
        const { data, error } = await client().auth.signInWithIdToken({
          provider: 'google',
          token: accessToken,
        });
        if (error) {
          if (isUnreachable(error)) throw unreachable(error);
          throw new OAuthFailure(gotrueMessage(error));
        }
        if (!data.session) throw new OAuthFailure(AuthMessages.noSession);
        return data.session;
      }, AuthMessages.authError);
    },

    findUsersByEmails,

    async ping() {
      const res = await gotrue(target, '/health', { signal: AbortSignal.timeout(3000) });
      if (res.status !== 200) throw new Error(`GoTrue health answered ${res.status}`);
    },
  };
}
