import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authHttp } from '../support/auth-http';
import { createTestDeps, startGateway, type RunningGateway } from '../support/harness';
import { manualClock } from '../support/users';

const clock = manualClock();
let gw: RunningGateway;
const { call, post, get, signUp } = authHttp(() => `${gw.url}/api`);

beforeAll(async () => {
  gw = await startGateway(await createTestDeps({ ACCESS_TOKEN_TTL_S: '600' }, { clock }));
});
afterAll(async () => {
  await gw.close();
  await gw.deps.close();
});

describe('POST /auth/logout', () => {
  it('needs a token (401 with WWW-Authenticate)', async () => {
    const none = await post('/auth/logout');
    expect([none.status, none.body]).toEqual([
      401,
      { detail: 'Không tìm thấy thông tin xác thực' },
    ]);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await post('/auth/logout', undefined, 'not-a-token');
    expect([bad.status, bad.body]).toEqual([401, { detail: 'Token không hợp lệ hoặc đã hết hạn' }]);
  });

  it("revokes the caller's session only: the token dies, other sessions and other users stay signed in", async () => {
    const a = await signUp();
    const a2 = await post('/auth/login', { email: a.user.email, password: a.password });
    const b = await signUp();
    expect(await post('/auth/logout', undefined, b.access_token)).toMatchObject({
      status: 200,
      body: { message: 'Đăng xuất thành công' },
    });
    expect((await get('/auth/user', a.access_token)).status).toBe(200);
    // The doubled prefix the original tolerated still works.
    expect(
      (await call('POST', '/auth/logout', { auth: `Bearer Bearer ${a.access_token}` })).status,
    ).toBe(200);
    expect((await get('/auth/user', a.access_token)).status).toBe(401);
    expect((await post('/auth/logout', undefined, a.access_token)).status).toBe(401);
    expect((await post('/auth/refresh', { refresh_token: a.refresh_token })).status).toBe(401);
    expect((await get('/auth/session', a2.body.access_token as string)).body).toMatchObject({
      user_id: a.user.id,
    });
    expect((await get('/auth/user', b.access_token)).status).toBe(401);
  });
});

describe('POST /auth/refresh', () => {
  it('rotates the refresh token and returns working tokens', async () => {
    const u = await signUp();
    const next = await post('/auth/refresh', { refresh_token: u.refresh_token });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({
      user: { id: u.user.id, email: u.user.email },
      token_type: 'bearer',
    });
    expect(next.body.refresh_token).not.toBe(u.refresh_token);
    expect((await get('/auth/user', next.body.access_token as string)).status).toBe(200);
    const reused = await post('/auth/refresh', { refresh_token: u.refresh_token });
    expect([reused.status, reused.body]).toEqual([
      401,
      { detail: 'Token không hợp lệ hoặc đã hết hạn' },
    ]);
  });

  it("does not let one user refresh another user's session", async () => {
    const a = await signUp();
    const b = await signUp();
    const stolen = await post('/auth/refresh', { refresh_token: a.refresh_token }, b.access_token);
    expect(stolen.status).toBe(401);
    const own = await post('/auth/refresh', { refresh_token: a.refresh_token }, a.access_token);
    expect(own.body).toMatchObject({ user: { id: a.user.id } });
  });

  it('validates the body', async () => {
    const empty = await post('/auth/refresh', { refresh_token: '' });
    expect(empty.status).toBe(422);
    const malformed = await call('POST', '/auth/refresh', { raw: '{refresh_token' });
    expect(malformed.status).toBe(422);
    const missing = await post('/auth/refresh', {});
    expect(missing.body.detail).toMatchObject([
      { loc: ['body', 'refresh_token'], msg: 'Field required' },
    ]);
    const types = await post('/auth/refresh', { refresh_token: 12 });
    expect(types.status).toBe(422);
    const huge = await post('/auth/refresh', { refresh_token: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });
});

describe('GET /auth/user', () => {
  it('reports the caller and refuses missing, invalid and expired tokens', async () => {
    const a = await signUp();
    const b = await signUp();
    expect((await get('/auth/user', a.access_token)).body).toEqual(a.user);
    expect((await get('/auth/user', b.access_token)).body).toEqual(b.user);
    expect(await get('/auth/user')).toMatchObject({
      status: 401,
      body: { detail: 'Không tìm thấy thông tin xác thực' },
    });
    const tampered = `${a.access_token.slice(0, -2)}xx`;
    expect(await get('/auth/user', tampered)).toMatchObject({
      status: 401,
      body: { detail: 'Token không hợp lệ hoặc đã hết hạn' },
    });
    clock.advance(601);
    expect(await get('/auth/user', a.access_token)).toMatchObject({
      status: 401,
      body: { detail: 'Token không hợp lệ hoặc đã hết hạn' },
    });
    // The session itself lives on: a refresh gives a fresh access token.
    const next = await post('/auth/refresh', { refresh_token: a.refresh_token });
    expect((await get('/auth/user', next.body.access_token as string)).body).toEqual(a.user);
  });
});

describe('GET /auth/session', () => {
  it("reports the caller's own session, and the documented 401 bodies otherwise", async () => {
    const a = await signUp();
    const b = await signUp();
    const mine = await get('/auth/session', a.access_token);
    expect([mine.status, mine.body]).toEqual([
      200,
      {
        is_authenticated: true,
        user_id: a.user.id,
        email: a.user.email,
        created_at: a.user.created_at,
      },
    ]);
    expect((await get('/auth/session', b.access_token)).body).toMatchObject({ user_id: b.user.id });
    const none = await get('/auth/session');
    expect([none.status, none.body]).toEqual([
      401,
      { is_authenticated: false, message: 'Không có thông tin xác thực' },
    ]);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await get('/auth/session', 'garbage');
    expect([bad.status, bad.body]).toEqual([
      401,
      { is_authenticated: false, message: 'Phiên không hợp lệ hoặc đã hết hạn' },
    ]);
  });
});

describe('Google routes without GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET', () => {
  const notConfigured = {
    detail: 'Đăng nhập Google chưa được cấu hình: thiếu GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET',
  };

  it('GET /auth/google/url: 400 without redirect_url, else 503 naming the missing settings', async () => {
    expect(await get('/auth/google/url')).toMatchObject({
      status: 400,
      body: { detail: 'Thiếu redirect_url' },
    });
    expect(await get('/auth/google/url?redirect_url=not%20a%20url')).toMatchObject({
      status: 400,
      body: { detail: 'Lỗi: redirect_url không hợp lệ' },
    });
    expect(await get('/auth/google/url?redirect_url=http://app.example.com/cb')).toMatchObject({
      status: 503,
      body: notConfigured,
    });
    expect((await get('/auth/google/url?redirect_url=a&redirect_url=b')).status).toBe(422);
  });

  it('GET /auth/callback: the documented 400s, then 503', async () => {
    expect(await get('/auth/callback?error=access_denied')).toMatchObject({
      status: 400,
      body: { detail: 'Lỗi xác thực OAuth: access_denied' },
    });
    expect(await get('/auth/callback')).toMatchObject({
      status: 400,
      body: { detail: 'Thiếu authorization code' },
    });
    expect(await get('/auth/callback?code=abc&state=def')).toMatchObject({
      status: 503,
      body: notConfigured,
    });
  });

  it('POST /auth/google: validation, the missing-credential 400, then 503', async () => {
    expect(await post('/auth/google', {})).toMatchObject({
      status: 400,
      body: { detail: 'Phải cung cấp một trong hai: code hoặc access_token' },
    });
    expect(await post('/auth/google', { code: '', access_token: null })).toMatchObject({
      status: 400,
    });
    expect(await post('/auth/google', { code: 'x', provider: 'facebook' })).toMatchObject({
      status: 400,
      body: { detail: 'Provider "facebook" không được hỗ trợ (hiện tại chỉ hỗ trợ "google")' },
    });
    expect((await post('/auth/google', { code: 123 })).status).toBe(422);
    expect((await call('POST', '/auth/google', { raw: '{' })).status).toBe(422);
    expect((await post('/auth/google', { access_token: 'x'.repeat(2 * 1024 * 1024) })).status).toBe(
      413,
    );
    expect(await post('/auth/google', { code: 'abc', state: 'def' })).toMatchObject({
      status: 503,
      body: notConfigured,
    });
  });
});
