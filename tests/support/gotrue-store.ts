import { randomBytes, randomUUID } from 'node:crypto';

import { jwtVerify, SignJWT } from 'jose';

/** The state behind the GoTrue stand-in: users, sessions, PKCE flow states and GoTrue-shaped tokens. */
export type StandInUser = {
  id: string;
  email: string;
  password: string | null;
  created_at: string;
  email_confirmed_at: string | null;
  user_metadata: Record<string, unknown>;
  provider: string;
};
export type StandInSession = { id: string; userId: string; refreshToken: string };
export type AuthFailure = { status: number; code: string; msg: string };

const TTL = 3600;

export function createGoTrueStore() {
  const jwtSecret = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const users = new Map<string, StandInUser>();
  const sessions = new Map<string, StandInSession>();
  /** PKCE auth codes → the user who consented and the challenge to check the verifier against. */
  const flows = new Map<string, { userId: string; challenge: string }>();

  const publicUser = (u: StandInUser) => ({
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

  /** GoTrue's session response: a JWT naming its session, plus an opaque refresh token. */
  async function issue(user: StandInUser, row: StandInSession) {
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

  return {
    users,
    sessions,
    flows,
    publicUser,
    issue,
    byEmail: (email: string) => [...users.values()].find((u) => u.email === email.toLowerCase()),

    addUser(
      fields: Pick<StandInUser, 'email' | 'password' | 'provider'> & Partial<StandInUser>,
    ): StandInUser {
      const now = new Date().toISOString();
      const user: StandInUser = {
        id: randomUUID(),
        created_at: now,
        email_confirmed_at: now,
        user_metadata: {},
        ...fields,
        email: fields.email.toLowerCase(),
      };
      users.set(user.id, user);
      return user;
    },

    async openSession(user: StandInUser) {
      const row = {
        id: randomUUID(),
        userId: user.id,
        refreshToken: randomBytes(16).toString('hex'),
      };
      sessions.set(row.id, row);
      return issue(user, row);
    },

    /** GoTrue's requireAuthentication: a valid JWT whose session still exists. */
    async authenticate(
      authorization: string | undefined,
    ): Promise<{ user: StandInUser; session: StandInSession } | AuthFailure> {
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
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
        if (!session || !user) {
          return {
            status: 403,
            code: 'session_not_found',
            msg: 'Session from session_id claim in JWT does not exist',
          };
        }
        return { user, session };
      } catch (e) {
        return {
          status: 403,
          code: 'bad_jwt',
          msg: `invalid JWT: unable to parse or verify signature, ${(e as Error).message}`,
        };
      }
    },
  };
}

export type GoTrueStore = ReturnType<typeof createGoTrueStore>;
