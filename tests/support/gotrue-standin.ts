import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import express, { type NextFunction, type Request, type Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';

import { asText } from './as-text';
import { createGoTrueStore, type StandInUser } from './gotrue-store';

export type RecoveryMail = { email: string; redirectTo: string | null; accessToken: string };

export type GoTrueStandIn = {
  url: string;
  anonKey: string;
  serviceKey: string;
  /** Recovery e-mails GoTrue would have sent (the recovery access token is what the link carries). */
  mails: RecoveryMail[];
  /** The Google account the simulated consent screen signs in as. */
  googleAccount: { email: string; name: string; avatar_url: string };
  /** Flip to true to simulate `mailer_autoconfirm = false` (sign-up returns no session). */
  requireConfirmation: boolean;
  /** An ID token from the stand-in's "Google" (audience `standin-client`), for `signInWithIdToken`. */
  googleIdToken(claims: { email: string; name?: string; aud?: string }): Promise<string>;
  sessionCount(userId: string): number;
  close(): Promise<void>;
};

const GOOGLE_ISSUER = 'https://accounts.google.com';

/**
 * An HTTP stand-in for Supabase Auth (GoTrue) speaking the endpoints supabase-js and our provider call:
 * /signup, /token (password, refresh_token, pkce, id_token), /logout, /user (GET, PUT), /recover,
 * /authorize (Google consent simulated), /admin/users and /health. Same paths, bodies, status codes and
 * error codes as GoTrue, so the real supabase-js client runs against it unchanged.
 */
export async function startGoTrueStandIn(): Promise<GoTrueStandIn> {
  const store = createGoTrueStore();
  const googleSecret = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const anonKey = `anon-${randomBytes(8).toString('hex')}`;
  const serviceKey = `service-${randomBytes(8).toString('hex')}`;
  const state = {
    mails: [] as RecoveryMail[],
    googleAccount: {
      email: 'google.user@gmail.com',
      name: 'Google User',
      avatar_url: 'https://example.com/a.png',
    },
    requireConfirmation: false,
  };

  const fail = (res: Response, status: number, code: string, msg: string) =>
    void res.status(status).json({ code: status, error_code: code, msg });

  function googleUser(email: string, name: string): StandInUser {
    return (
      store.byEmail(email) ??
      store.addUser({
        email,
        password: null,
        provider: 'google',
        user_metadata: { name, full_name: name, avatar_url: state.googleAccount.avatar_url },
      })
    );
  }

  const app = express();
  app.use(express.json());
  app.use('/auth/v1', (req: Request, res: Response, next: NextFunction) => {
    // Like Supabase's gateway: browser-facing /authorize is open, everything else needs an API key.
    if (req.path === '/authorize') return void next();
    const key = req.headers.apikey;
    if (key !== anonKey && key !== serviceKey)
      return void res.status(401).json({ message: 'Invalid API key' });
    next();
  });
  const r = express.Router();
  app.use('/auth/v1', r);

  r.get('/health', (_req, res) => void res.json({ version: 'stand-in', name: 'GoTrue' }));

  r.post('/signup', async (req, res) => {
    const { email, password } = req.body as { email?: string; password?: string };
    if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      return fail(
        res,
        400,
        'email_address_invalid',
        'Unable to validate email address: invalid format',
      );
    }
    if (!password || password.length < 6) {
      return void res.status(422).json({
        code: 422,
        error_code: 'weak_password',
        msg: 'Password should be at least 6 characters.',
        weak_password: { reasons: ['length'] },
      });
    }
    if (store.byEmail(email))
      return fail(res, 422, 'user_already_exists', 'User already registered');
    const user = store.addUser({ email, password, provider: 'email' });
    if (state.requireConfirmation) user.email_confirmed_at = null;
    res.json(state.requireConfirmation ? store.publicUser(user) : await store.openSession(user));
  });

  r.post('/token', async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    switch (req.query.grant_type) {
      case 'password': {
        const user = store.byEmail(body.email ?? '');
        if (!user || user.password !== body.password)
          return fail(res, 400, 'invalid_credentials', 'Invalid login credentials');
        if (!user.email_confirmed_at)
          return fail(res, 400, 'email_not_confirmed', 'Email not confirmed');
        return void res.json(await store.openSession(user));
      }
      case 'refresh_token': {
        const row = [...store.sessions.values()].find((s) => s.refreshToken === body.refresh_token);
        const user = row && store.users.get(row.userId);
        if (!row || !user)
          return fail(
            res,
            400,
            'refresh_token_not_found',
            'Invalid Refresh Token: Refresh Token Not Found',
          );
        row.refreshToken = randomBytes(16).toString('hex');
        return void res.json(await store.issue(user, row));
      }
      case 'pkce': {
        const flow = store.flows.get(body.auth_code ?? '');
        if (!flow)
          return fail(
            res,
            404,
            'flow_state_not_found',
            'invalid flow state, no valid flow state found',
          );
        store.flows.delete(body.auth_code ?? '');
        const digest = createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url');
        if (digest !== flow.challenge) {
          return fail(
            res,
            400,
            'bad_code_verifier',
            'code challenge does not match previously saved code verifier',
          );
        }
        return void res.json(await store.openSession(store.users.get(flow.userId)!));
      }
      case 'id_token': {
        try {
          const { payload } = await jwtVerify(body.id_token ?? '', googleSecret, {
            issuer: GOOGLE_ISSUER,
            audience: 'standin-client',
          });
          return void res.json(
            await store.openSession(googleUser(asText(payload.email), asText(payload.name ?? ''))),
          );
        } catch {
          return fail(res, 400, 'bad_oauth_callback', 'Bad ID token');
        }
      }
      default:
        return fail(res, 400, 'unsupported_grant_type', 'unsupported_grant_type');
    }
  });

  r.post('/logout', async (req, res) => {
    const who = await store.authenticate(req.headers.authorization);
    if (!('user' in who)) return fail(res, who.status, who.code, who.msg);
    const scope = asText(req.query.scope ?? 'global');
    for (const s of [...store.sessions.values()]) {
      if (s.userId !== who.user.id) continue;
      if (scope === 'local' && s.id !== who.session.id) continue;
      if (scope === 'others' && s.id === who.session.id) continue;
      store.sessions.delete(s.id);
    }
    res.status(204).end();
  });

  r.get('/user', async (req, res) => {
    const who = await store.authenticate(req.headers.authorization);
    if (!('user' in who)) return fail(res, who.status, who.code, who.msg);
    res.json(store.publicUser(who.user));
  });

  r.put('/user', async (req, res) => {
    const who = await store.authenticate(req.headers.authorization);
    if (!('user' in who)) return fail(res, who.status, who.code, who.msg);
    const { password } = req.body as { password?: string };
    if (password !== undefined) {
      if (password.length < 6)
        return fail(res, 422, 'weak_password', 'Password should be at least 6 characters.');
      if (password === who.user.password) {
        return fail(
          res,
          422,
          'same_password',
          'New password should be different from the old password.',
        );
      }
      who.user.password = password;
    }
    res.json(store.publicUser(who.user));
  });

  r.post('/recover', async (req, res) => {
    const user = store.byEmail((req.body as { email?: string }).email ?? '');
    if (user) {
      const session = await store.openSession(user);
      const redirectTo = typeof req.query.redirect_to === 'string' ? req.query.redirect_to : null;
      state.mails.push({ email: user.email, redirectTo, accessToken: session.access_token });
    }
    res.json({});
  });

  r.get('/authorize', (req, res) => {
    const { provider, redirect_to, code_challenge } = req.query as Record<
      string,
      string | undefined
    >;
    if (provider !== 'google' || !redirect_to)
      return fail(res, 400, 'validation_failed', 'Unsupported provider: provider is not enabled');
    if (!code_challenge)
      return fail(res, 400, 'validation_failed', 'PKCE flow requires code_challenge');
    // The consent screen is simulated: the configured Google account says yes.
    const user = googleUser(state.googleAccount.email, state.googleAccount.name);
    const code = randomUUID();
    store.flows.set(code, { userId: user.id, challenge: code_challenge });
    const target = new URL(redirect_to);
    target.searchParams.set('code', code);
    res.redirect(302, target.href);
  });

  r.get('/admin/users', (req, res) => {
    if (req.headers.authorization !== `Bearer ${serviceKey}`)
      return fail(res, 403, 'not_admin', 'User not allowed');
    const filter = asText(req.query.filter ?? '').toLowerCase();
    const list = [...store.users.values()]
      .filter((u) => u.email.includes(filter))
      .map(store.publicUser);
    res.json({ users: list, aud: 'authenticated' });
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    anonKey,
    serviceKey,
    get mails() {
      return state.mails;
    },
    get googleAccount() {
      return state.googleAccount;
    },
    set googleAccount(v) {
      state.googleAccount = v;
    },
    get requireConfirmation() {
      return state.requireConfirmation;
    },
    set requireConfirmation(v) {
      state.requireConfirmation = v;
    },
    async googleIdToken(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        email: claims.email,
        email_verified: true,
        name: claims.name ?? 'Token User',
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(GOOGLE_ISSUER)
        .setAudience(claims.aud ?? 'standin-client')
        .setSubject(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(googleSecret);
    },
    sessionCount: (userId) =>
      [...store.sessions.values()].filter((s) => s.userId === userId).length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
