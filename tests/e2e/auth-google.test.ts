import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDeps, startGateway, type RunningGateway } from '../support/harness';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider';
import { strongPassword } from '../support/users';

const CLIENT = {
  client_id: 'rag-app',
  client_secret: 'rag-app-secret',
  redirect_uris: ['http://app.example.com/cb'],
};
const OTHER = {
  client_id: 'other-app',
  client_secret: 'other-secret',
  redirect_uris: ['http://other.example.com/cb'],
};
const REDIRECT = CLIENT.redirect_uris[0]!;

let idp: RunningOidcProvider;
let gw: RunningGateway;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${gw.url}/api${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
const post = (path: string, body: unknown, token?: string) =>
  api(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

/** Asks our API for the login URL, then signs in at the provider as `sub`; returns the callback query. */
async function startAndConsent(sub: string): Promise<URLSearchParams> {
  const res = await api(`/auth/google/url?redirect_url=${encodeURIComponent(REDIRECT)}`);
  expect(res.status).toBe(200);
  const { url } = (await res.json()) as { url: string };
  expect(url.startsWith(`${idp.issuer}/`)).toBe(true);
  const callback = await idp.authorize(url, sub);
  expect(callback.origin + callback.pathname).toBe(REDIRECT);
  return callback.searchParams;
}

/** Tokens straight from the provider for `client` (what a front end holding a Google ID token has). */
async function providerTokens(client: typeof CLIENT, sub: string) {
  const config = await oidc.discovery(
    new URL(idp.issuer),
    client.client_id,
    client.client_secret,
    undefined,
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const callback = await idp.authorize(url.href, sub);
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
}

beforeAll(async () => {
  idp = await startOidcProvider([CLIENT, OTHER]);
  idp.accounts.set('alice', {
    email: 'Alice@Example.com',
    email_verified: true,
    name: 'Alice',
    picture: 'https://example.com/alice.png',
  });
  idp.accounts.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob' });
  idp.accounts.set('carol', { email: 'carol@example.com', email_verified: true });
  idp.accounts.set('eve', { email: 'eve@example.com', email_verified: false, name: 'Eve' });
  const deps = await createTestDeps({
    GOOGLE_CLIENT_ID: CLIENT.client_id,
    GOOGLE_CLIENT_SECRET: CLIENT.client_secret,
    OIDC_ISSUER: idp.issuer,
    OIDC_ALLOW_INSECURE: 'true',
  });
  gw = await startGateway(deps);
});
afterAll(async () => {
  await gw.close();
  await gw.deps.close();
  await idp.close();
});

describe('Google / OpenID Connect sign-in against a real OIDC provider', () => {
  it('creates a user on the first login and finds the same user on the next one', async () => {
    const q = await startAndConsent('alice');
    expect(q.get('code')).toBeTruthy();
    const res = await api(`/auth/callback?${q.toString()}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & {
      user: { id: string };
      access_token: string;
    };
    expect(body).toMatchObject({
      user: {
        email: 'alice@example.com',
        name: 'Alice',
        avatar_url: 'https://example.com/alice.png',
      },
      provider: 'google',
      token_type: 'bearer',
    });
    expect(typeof body.refresh_token).toBe('string');
    const me = await api('/auth/user', {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(await me.json()).toMatchObject({ id: body.user.id, email: 'alice@example.com' });

    const again = await startAndConsent('alice');
    const second = await post('/auth/google', {
      code: again.get('code'),
      state: again.get('state'),
      iss: again.get('iss'),
    });
    expect(((await second.json()) as { user: { id: string } }).user.id).toBe(body.user.id);
  });

  it('links to an existing local account with the same verified e-mail', async () => {
    const signup = await post('/auth/signup', {
      email: 'BOB@example.com',
      password: strongPassword(),
    });
    const local = (await signup.json()) as { user: { id: string }; access_token: string };
    const q = await startAndConsent('bob');
    // `iss` left out on purpose: a front end relaying only code + state still works.
    const res = await post('/auth/google', { code: q.get('code'), state: q.get('state') });
    expect(res.status).toBe(200);
    const google = (await res.json()) as { user: { id: string; name: string } };
    expect(google.user).toMatchObject({ id: local.user.id, name: 'Bob' });
    // The address was never proven by the password account, so that password and its sessions end
    // (someone may have registered it before its owner did); the owner can set one by reset.
    const old = await api('/auth/session', {
      headers: { authorization: `Bearer ${local.access_token}` },
    });
    expect(old.status).toBe(401);
  });

  it('keeps the password of a linked account whose e-mail was already verified', async () => {
    const password = strongPassword();
    const signup = await post('/auth/signup', { email: 'carol@example.com', password });
    const local = (await signup.json()) as { user: { id: string } };
    const { users } = (await import('@rag/core/testing')).schema;
    const { eq } = await import('drizzle-orm');
    await gw.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, local.user.id));
    const q = await startAndConsent('carol');
    const res = await api(`/auth/callback?${q.toString()}`);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(local.user.id);
    const login = await post('/auth/login', { email: 'carol@example.com', password });
    expect(login.status).toBe(200);
  });

  it('refuses an identity whose e-mail the provider has not verified', async () => {
    const q = await startAndConsent('eve');
    const res = await api(`/auth/callback?${q.toString()}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      detail: 'Lỗi xác thực OAuth: email của tài khoản Google chưa được xác minh',
    });
  });

  it('keeps concurrent flows apart (each has its own state and PKCE verifier)', async () => {
    const first = await startAndConsent('alice');
    const second = await startAndConsent('bob');
    const bob = await api(`/auth/callback?${second.toString()}`);
    const alice = await api(`/auth/callback?${first.toString()}`);
    expect(((await bob.json()) as { user: { email: string } }).user.email).toBe('bob@example.com');
    expect(((await alice.json()) as { user: { email: string } }).user.email).toBe(
      'alice@example.com',
    );
  });

  it('answers the documented callback errors', async () => {
    const denied = await api('/auth/callback?error=access_denied');
    expect([denied.status, await denied.json()]).toEqual([
      400,
      { detail: 'Lỗi xác thực OAuth: access_denied' },
    ]);
    const noCode = await api('/auth/callback');
    expect([noCode.status, await noCode.json()]).toEqual([
      400,
      { detail: 'Thiếu authorization code' },
    ]);
    const unknown = await api('/auth/callback?code=abc&state=never-issued');
    expect(await unknown.json()).toEqual({
      detail: 'Lỗi xác thực OAuth: luồng đăng nhập không tồn tại hoặc đã hết hạn',
    });

    const q = await startAndConsent('alice');
    expect((await api(`/auth/callback?${q.toString()}`)).status).toBe(200);
    const replay = await api(`/auth/callback?${q.toString()}`);
    expect([replay.status, await replay.json()]).toEqual([
      400,
      { detail: 'Lỗi xác thực OAuth: luồng đăng nhập không tồn tại hoặc đã hết hạn' },
    ]);

    const fresh = await startAndConsent('alice');
    fresh.set('code', 'forged-code');
    const forged = await api(`/auth/callback?${fresh.toString()}`);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { detail: string }).detail).toMatch(/^Lỗi xác thực OAuth: /);

    const noState = await post('/auth/google', { code: 'abc' });
    expect(await noState.json()).toEqual({
      detail: 'Không thể xác thực với code: thiếu tham số state của luồng đăng nhập',
    });
  });

  it('accepts a Google ID token (or introspectable access token) issued to us, and nothing issued to others', async () => {
    const ours = await providerTokens(CLIENT, 'alice');
    const viaIdToken = await post('/auth/google', { access_token: ours.id_token });
    expect(viaIdToken.status).toBe(200);
    expect(((await viaIdToken.json()) as { user: { email: string } }).user.email).toBe(
      'alice@example.com',
    );
    const viaAccessToken = await post('/auth/google', { access_token: ours.access_token });
    expect(viaAccessToken.status).toBe(200);

    const theirs = await providerTokens(OTHER, 'alice');
    const foreignId = await post('/auth/google', { access_token: theirs.id_token });
    expect([foreignId.status, await foreignId.json()]).toEqual([
      400,
      { detail: 'Lỗi xác thực: token không hợp lệ' },
    ]);
    const foreignAccess = await post('/auth/google', { access_token: theirs.access_token });
    expect([foreignAccess.status, await foreignAccess.json()]).toEqual([
      400,
      { detail: 'Lỗi xác thực: access_token không hợp lệ hoặc đã hết hạn' },
    ]);
  });
});

describe('sign-up policy (SIGNUP_ENABLED, SIGNUP_EMAIL_DOMAINS)', () => {
  const gateways: RunningGateway[] = [];
  /** A gateway with its own settings, on the main gateway's database or a fresh one. */
  async function gatewayWith(env: Record<string, string>, shared: boolean) {
    const deps = await createTestDeps(
      {
        GOOGLE_CLIENT_ID: CLIENT.client_id,
        GOOGLE_CLIENT_SECRET: CLIENT.client_secret,
        OIDC_ISSUER: idp.issuer,
        OIDC_ALLOW_INSECURE: 'true',
        ...env,
      },
      shared ? { database: gw.deps.database } : {},
    );
    const started = await startGateway(deps);
    gateways.push(started);
    return started;
  }
  afterAll(async () => {
    for (const g of gateways) {
      await g.close();
      await g.deps.close();
    }
  });
  const on = (g: RunningGateway) => ({
    post: (path: string, body: unknown) =>
      fetch(`${g.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    /** Google sign-in as `sub` through this gateway's redirect flow: the callback's response. */
    async google(sub: string) {
      const res = await fetch(
        `${g.url}/api/auth/google/url?redirect_url=${encodeURIComponent(REDIRECT)}`,
      );
      const { url } = (await res.json()) as { url: string };
      const callback = await idp.authorize(url, sub);
      return fetch(`${g.url}/api/auth/callback?${callback.searchParams.toString()}`);
    },
  });
  const CLOSED = 'Lỗi khi đăng ký tài khoản: máy chủ này không nhận đăng ký tài khoản mới';
  const DOMAIN =
    'Lỗi khi đăng ký tài khoản: địa chỉ email này không được phép đăng ký trên máy chủ này';

  it('closed: existing accounts sign in (password and Google), no new account is created', async () => {
    // Alice (Google) and a password account exist before sign-up closes.
    expect((await on(gw).google('alice')).status).toBe(200);
    const password = strongPassword();
    expect((await on(gw).post('/auth/signup', { email: 'pat@example.com', password })).status).toBe(
      200,
    );
    const closed = on(await gatewayWith({ SIGNUP_ENABLED: 'false' }, true));

    const signup = await closed.post('/auth/signup', {
      email: 'quinn@example.com',
      password: strongPassword(),
    });
    expect([signup.status, await signup.json()]).toEqual([403, { detail: CLOSED }]);
    // Even a weak password is told sign-up is closed, not how to pick a password.
    expect(
      (await closed.post('/auth/signup', { email: 'q@example.com', password: 'x' })).status,
    ).toBe(403);
    expect((await closed.post('/auth/login', { email: 'pat@example.com', password })).status).toBe(
      200,
    );
    expect((await closed.google('alice')).status).toBe(200);

    idp.accounts.set('grace', { email: 'grace@example.com', email_verified: true });
    const first = await closed.google('grace');
    expect([first.status, await first.json()]).toEqual([403, { detail: CLOSED }]);
    const { users } = (await import('@rag/core/testing')).schema;
    const { eq } = await import('drizzle-orm');
    const rows = await gw.deps.db.select().from(users).where(eq(users.email, 'grace@example.com'));
    expect(rows).toEqual([]);
  });

  it('domains: only addresses of a listed domain get an account, by password or by Google', async () => {
    const listed = on(
      await gatewayWith({ SIGNUP_EMAIL_DOMAINS: ' Example.com, @team.example ' }, false),
    );
    const signUp = (email: string) =>
      listed.post('/auth/signup', { email, password: strongPassword() });

    expect((await signUp('ivy@EXAMPLE.com')).status).toBe(200);
    expect((await signUp('jo@team.example')).status).toBe(200);
    for (const email of ['kim@other.org', 'lee@mail.example.com', 'mo@example.com.evil.org']) {
      const res = await signUp(email);
      expect([email, res.status, await res.json()]).toEqual([email, 403, { detail: DOMAIN }]);
    }

    idp.accounts.set('henry', { email: 'henry@other.org', email_verified: true });
    const refused = await listed.google('henry');
    expect([refused.status, await refused.json()]).toEqual([403, { detail: DOMAIN }]);
    // Bob's address is in a listed domain: his first Google sign-in here creates his account.
    expect((await listed.google('bob')).status).toBe(200);
  });
});
