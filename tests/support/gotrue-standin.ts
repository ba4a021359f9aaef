import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import express, { type NextFunction, type Request, type Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';

/**
 * An HTTP stand-in for Supabase Auth (GoTrue) speaking the endpoints supabase-js and our provider call:
 * /signup, /token (password, refresh_token, pkce, id_token), /logout, /user (GET, PUT), /recover,
 * /authorize (Google consent simulated), /admin/users and /health. Same paths, bodies, status codes and
 * error codes as GoTrue, so the real supabase-js client runs against it unchanged.
 */
type User = {
  id: string;
  email: string;
  password: string | null;
  created_at: string;
  email_confirmed_at: string | null;
  user_metadata: Record<string, unknown>;
  provider: string;
};
type SessionRow = { id: string; userId: string; refreshToken: string };
type Flow = { userId: string; challenge: string; method: string };

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
  users(): User[];
  sessionCount(userId: string): number;
  close(): Promise<void>;
};

const TTL = 3600;

export async function startGoTrueStandIn(): Promise<GoTrueStandIn> {
  const jwtSecret = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const googleSecret = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const anonKey = `anon-${randomBytes(8).toString('hex')}`;
  const serviceKey = `service-${randomBytes(8).toString('hex')}`;
  const users = new Map<string, User>();
  const sessions = new Map<string, SessionRow>();
  const flows = new Map<string, Flow>();

  const state = {
    mails: [] as RecoveryMail[],
    googleAccount: {
      email: 'google.user@gmail.com',
      name: 'Google User',
      avatar_url: 'https://example.com/a.png',
    },
    requireConfirmation: false,
  };

  const err = (res: Response, status: number, code: string, msg: string) =>
    res.status(status).json({ code: status, error_code: code, msg });
  const publicUser = (u: User) => ({
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: u.email_confirmed_at,
    created_at: u.created_at,
    updated_at: u.created_at,
    user_metadata: u.user_metadata,
    app_metadata: { provider: u.provider, providers: [u.provider] },
    identities: [],
  });
  const byEmail = (email: string) =>
    [...users.values()].find((u) => u.email === email.toLowerCase());

  async function openSession(user: User) {
    const row: SessionRow = {
      id: randomUUID(),
      userId: user.id,
      refreshToken: randomBytes(16).toString('hex'),
    };
    sessions.set(row.id, row);
    return issue(user, row);
  }
  async function issue(user: User, row: SessionRow) {
    const now = Math.floor(Date.now() / 1000);
    const access_token = await new SignJWT({
      email: user.email,
      role: 'authenticated',
      session_id: row.id,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setAudience('authenticated')
      .setIssuedAt(now)
      .setExpirationTime(now + TTL)
      .sign(jwtSecret);
    return {
      access_token,
      token_type: 'bearer',
      expires_in: TTL,
      expires_at: now + TTL,
      refresh_token: row.refreshToken,
      user: publicUser(user),
    };
  }
  /** GoTrue's requireAuthentication: a valid JWT whose session still exists. */
  async function caller(
    req: Request,
  ): Promise<{ user: User; session: SessionRow } | { status: number; code: string; msg: string }> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token)
      return {
        status: 401,
        code: 'no_authorization',
        msg: 'This endpoint requires a Bearer token',
      };
    try {
      const { payload } = await jwtVerify(token, jwtSecret, { audience: 'authenticated' });
      const session = sessions.get(String(payload.session_id));
      const user = users.get(String(payload.sub));
      if (!session || !user)
        return {
          status: 403,
          code: 'session_not_found',
          msg: 'Session from session_id claim in JWT does not exist',
        };
      return { user, session };
    } catch (e) {
      return {
        status: 403,
        code: 'bad_jwt',
        msg: `invalid JWT: unable to parse or verify signature, ${(e as Error).message}`,
      };
    }
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
    if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      return void err(
        res,
        400,
        'email_address_invalid',
        'Unable to validate email address: invalid format',
      );
    if (!password || password.length < 6) {
      return void res
        .status(422)
        .json({
          code: 422,
          error_code: 'weak_password',
          msg: 'Password should be at least 6 characters.',
          weak_password: { reasons: ['length'] },
        });
    }
    if (byEmail(email)) return void err(res, 422, 'user_already_exists', 'User already registered');
    const now = new Date().toISOString();
    const user: User = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password,
      created_at: now,
      email_confirmed_at: state.requireConfirmation ? null : now,
      user_metadata: {},
      provider: 'email',
    };
    users.set(user.id, user);
    res.json(state.requireConfirmation ? publicUser(user) : await openSession(user));
  });

  r.post('/token', async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    switch (req.query.grant_type) {
      case 'password': {
        const user = byEmail(body.email ?? '');
        if (!user || user.password !== body.password)
          return void err(res, 400, 'invalid_credentials', 'Invalid login credentials');
        if (!user.email_confirmed_at)
          return void err(res, 400, 'email_not_confirmed', 'Email not confirmed');
        return void res.json(await openSession(user));
      }
      case 'refresh_token': {
        const row = [...sessions.values()].find((s) => s.refreshToken === body.refresh_token);
        const user = row && users.get(row.userId);
        if (!row || !user)
          return void err(
            res,
            400,
            'refresh_token_not_found',
            'Invalid Refresh Token: Refresh Token Not Found',
          );
        row.refreshToken = randomBytes(16).toString('hex');
        return void res.json(await issue(user, row));
      }
      case 'pkce': {
        const flow = flows.get(body.auth_code ?? '');
        if (!flow)
          return void err(
            res,
            404,
            'flow_state_not_found',
            'invalid flow state, no valid flow state found',
          );
        flows.delete(body.auth_code ?? '');
        const digest = createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url');
        if (digest !== flow.challenge)
          return void err(
            res,
            400,
            'bad_code_verifier',
            'code challenge does not match previously saved code verifier',
          );
        return void res.json(await openSession(users.get(flow.userId)!));
      }
      case 'id_token': {
        try {
          const { payload } = await jwtVerify(body.id_token ?? '', googleSecret, {
            issuer: 'https://accounts.google.com',
            audience: 'standin-client',
          });
          const user = googleUser(String(payload.email), String(payload.name ?? ''));
          return void res.json(await openSession(user));
        } catch {
          return void err(res, 400, 'bad_oauth_callback', 'Bad ID token');
        }
      }
      default:
        return void err(res, 400, 'unsupported_grant_type', 'unsupported_grant_type');
    }
  });

  function googleUser(email: string, name: string): User {
    const existing = byEmail(email);
    if (existing) return existing;
    const now = new Date().toISOString();
    const user: User = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password: null,
      created_at: now,
      email_confirmed_at: now,
      user_metadata: { name, full_name: name, avatar_url: state.googleAccount.avatar_url },
      provider: 'google',
    };
    users.set(user.id, user);
    return user;
  }

  r.post('/logout', async (req, res) => {
    const who = await caller(req);
    if (!('user' in who)) return void err(res, who.status, who.code, who.msg);
    const scope = String(req.query.scope ?? 'global');
    for (const s of [...sessions.values()]) {
      if (s.userId !== who.user.id) continue;
      if (scope === 'local' && s.id !== who.session.id) continue;
      if (scope === 'others' && s.id === who.session.id) continue;
      sessions.delete(s.id);
    }
    res.status(204).end();
  });

  r.get('/user', async (req, res) => {
    const who = await caller(req);
    if (!('user' in who)) return void err(res, who.status, who.code, who.msg);
    res.json(publicUser(who.user));
  });

  r.put('/user', async (req, res) => {
    const who = await caller(req);
    if (!('user' in who)) return void err(res, who.status, who.code, who.msg);
    const { password } = req.body as { password?: string };
    if (password !== undefined) {
      if (password.length < 6)
        return void err(res, 422, 'weak_password', 'Password should be at least 6 characters.');
      if (password === who.user.password)
        return void err(
          res,
          422,
          'same_password',
          'New password should be different from the old password.',
        );
      who.user.password = password;
    }
    res.json(publicUser(who.user));
  });

  r.post('/recover', async (req, res) => {
    const { email } = req.body as { email?: string };
    const user = byEmail(email ?? '');
    if (user) {
      const session = await openSession(user);
      state.mails.push({
        email: user.email,
        redirectTo: typeof req.query.redirect_to === 'string' ? req.query.redirect_to : null,
        accessToken: session.access_token,
      });
    }
    res.json({});
  });

  r.get('/authorize', (req, res) => {
    const { provider, redirect_to, code_challenge, code_challenge_method } = req.query as Record<
      string,
      string | undefined
    >;
    if (provider !== 'google' || !redirect_to)
      return void err(
        res,
        400,
        'validation_failed',
        'Unsupported provider: provider is not enabled',
      );
    if (!code_challenge)
      return void err(res, 400, 'validation_failed', 'PKCE flow requires code_challenge');
    // The consent screen is simulated: the configured Google account says yes.
    const user = googleUser(state.googleAccount.email, state.googleAccount.name);
    const code = randomUUID();
    flows.set(code, {
      userId: user.id,
      challenge: code_challenge,
      method: code_challenge_method ?? 's256',
    });
    const target = new URL(redirect_to);
    target.searchParams.set('code', code);
    res.redirect(302, target.href);
  });

  r.get('/admin/users', (req, res) => {
    if (req.headers.authorization !== `Bearer ${serviceKey}`)
      return void err(res, 403, 'not_admin', 'User not allowed');
    const filter = String(req.query.filter ?? '').toLowerCase();
    const list = [...users.values()].filter((u) => u.email.includes(filter)).map(publicUser);
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
        .setIssuer('https://accounts.google.com')
        .setAudience(claims.aud ?? 'standin-client')
        .setSubject(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(googleSecret);
    },
    users: () => [...users.values()],
    sessionCount: (userId) => [...sessions.values()].filter((s) => s.userId === userId).length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
