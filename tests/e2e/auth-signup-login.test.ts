import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authHttp, type Json } from '../support/auth-http';
import { createTestDeps, startGateway, type RunningGateway } from '../support/harness';
import { manualClock, strongPassword } from '../support/users';

const clock = manualClock();
let gw: RunningGateway;
const { post, signUp, expectBodyValidation } = authHttp(() => `${gw.url}/api`);
const newEmail = () => `rest-${crypto.randomUUID()}@example.com`;

beforeAll(async () => {
  gw = await startGateway(await createTestDeps({ ACCESS_TOKEN_TTL_S: '600' }, { clock }));
});
afterAll(async () => {
  await gw.close();
  await gw.deps.close();
});

describe('POST /auth/signup', () => {
  it('creates the account with a normalised e-mail and answers the AuthResponse', async () => {
    const res = await post('/auth/signup', {
      email: '  MiXeD.Case@Example.COM ',
      password: 'Passw0rdOk',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
      'user',
    ]);
    expect(res.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 600,
      user: { email: 'mixed.case@example.com' },
    });
    const user = res.body.user as Json;
    expect(Object.keys(user).sort()).toEqual(['created_at', 'email', 'id']);
    expect(new Date(user.created_at as string).toISOString()).toBe(user.created_at);
  });

  it('refuses an e-mail that is already registered, whatever its case', async () => {
    const { user } = await signUp();
    const res = await post('/auth/signup', {
      email: user.email.toUpperCase(),
      password: strongPassword(),
    });
    expect([res.status, res.body]).toEqual([
      400,
      { detail: 'Lỗi khi đăng ký tài khoản: Email này đã được đăng ký' },
    ]);
  });

  it.each([
    ['Ab1', 'Mật khẩu phải có ít nhất 8 ký tự'],
    ['password1', 'Mật khẩu phải có ít nhất một chữ cái viết hoa'],
    ['PASSWORD1', 'Mật khẩu phải có ít nhất một chữ cái viết thường'],
    ['Passwordx', 'Mật khẩu phải có ít nhất một chữ số'],
  ])('refuses the weak password %s with the rule it breaks', async (password, rule) => {
    const res = await post('/auth/signup', { email: newEmail(), password });
    expect([res.status, res.body]).toEqual([400, { detail: `Lỗi khi đăng ký tài khoản: ${rule}` }]);
  });

  it('validates the body like FastAPI (422) and refuses huge bodies (413)', async () => {
    const bad = await post('/auth/signup', { email: 'not-an-email', password: 'Passw0rdOk' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatchObject([
      { loc: ['body', 'email'], msg: 'value is not a valid email address' },
    ]);
    await expectBodyValidation('/auth/signup', { email: 42, password: true });
  });
});

describe('POST /auth/login', () => {
  it('logs in case-insensitively and opens a new session', async () => {
    const u = await signUp();
    const res = await post('/auth/login', {
      email: ` ${u.user.email.toUpperCase()}`,
      password: u.password,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: u.user.id },
      token_type: 'bearer',
      expires_in: 600,
    });
    expect(res.body.access_token).not.toBe(u.access_token);
  });

  it('answers 401 with the same message for a wrong password and an unknown e-mail', async () => {
    const u = await signUp();
    const wrong = await post('/auth/login', { email: u.user.email, password: 'Wrong-Passw0rd' });
    expect([wrong.status, wrong.body]).toEqual([
      401,
      { detail: 'Email hoặc mật khẩu không chính xác' },
    ]);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    const unknown = await post('/auth/login', { email: newEmail(), password: 'Wrong-Passw0rd' });
    expect([unknown.status, unknown.body]).toEqual([
      401,
      { detail: 'Email hoặc mật khẩu không chính xác' },
    ]);
  });

  it('locks an e-mail after 5 failures in 15 minutes (429), for that e-mail only, until the window passes', async () => {
    const u = await signUp();
    const other = await signUp();
    for (let i = 0; i < 5; i++) {
      expect(
        (await post('/auth/login', { email: u.user.email, password: 'Wrong-Passw0rd' })).status,
      ).toBe(401);
    }
    const locked = await post('/auth/login', {
      email: u.user.email.toUpperCase(),
      password: u.password,
    });
    expect([locked.status, locked.body]).toEqual([
      429,
      { detail: 'Quá nhiều lần đăng nhập thất bại. Vui lòng thử lại sau' },
    ]);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await post('/auth/login', { email: other.user.email, password: other.password })).status,
    ).toBe(200);
    clock.advance(15 * 60 + 1);
    expect((await post('/auth/login', { email: u.user.email, password: u.password })).status).toBe(
      200,
    );
  });

  it('counts consecutive failures only: a success starts the count again', async () => {
    const u = await signUp();
    const fail = () => post('/auth/login', { email: u.user.email, password: 'Wrong-Passw0rd' });
    for (let i = 0; i < 4; i++) await fail();
    expect((await post('/auth/login', { email: u.user.email, password: u.password })).status).toBe(
      200,
    );
    for (let i = 0; i < 4; i++) expect((await fail()).status).toBe(401);
    expect((await post('/auth/login', { email: u.user.email, password: u.password })).status).toBe(
      200,
    );
  });

  it('validates the body', async () => {
    await expectBodyValidation('/auth/login', { email: ['a@b.co'], password: 1 });
  });
});
