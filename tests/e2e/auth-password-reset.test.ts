import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDeps, startGateway, type RunningGateway } from '../support/harness';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../support/smtp-server';
import { captureLog } from '../support/test-app';
import { manualClock, strongPassword } from '../support/users';

type Json = Record<string, unknown>;

const clock = manualClock();
const serverLog = captureLog('warn');
let smtp: SmtpCapture;
let gw: RunningGateway;
let n = 0;
const newEmail = () => `reset-${++n}-${Date.now()}@example.com`;
const OK_FORGOT = {
  status: 'success',
  message: 'Yêu cầu đặt lại mật khẩu đã được gửi đến email của bạn.',
};
const OK_RESET = { status: 'success', message: 'Mật khẩu đã được đặt lại thành công' };

async function post(path: string, body: unknown, token?: string, raw?: string) {
  const res = await fetch(`${gw.url}/api${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function signUp(email = newEmail()) {
  const password = strongPassword();
  const res = await post('/auth/signup', { email, password });
  return { email, password, token: res.body.access_token as string };
}

const tokenIn = (mail: CapturedMail) =>
  /access_token của POST \/auth\/reset-password\): (\S+)/.exec(mail.text)![1]!;

/** Requests a reset and returns the mail (sent in the background) once the SMTP server has it. */
async function requestReset(email: string, redirectTo?: string) {
  const before = smtp.messages.length;
  const res = await post('/auth/forgot-password', {
    email,
    ...(redirectTo ? { redirect_to: redirectTo } : {}),
  });
  expect([res.status, res.body]).toEqual([200, OK_FORGOT]);
  return smtp.waitFor(email.trim().toLowerCase(), before);
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  const deps = await createTestDeps(
    {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'RAG <rag@example.com>',
      AUTH_REDIRECT_ORIGINS: 'http://app.example.com, https://web.example.org',
      RESET_TOKEN_TTL_S: '900',
    },
    { clock, log: serverLog.log },
  );
  gw = await startGateway(deps);
});
afterAll(async () => {
  await gw.close();
  await gw.deps.close();
  await smtp.close();
});

describe('POST /auth/forgot-password (mail over real SMTP)', () => {
  it('mails a single-use token to an existing account, with a link only to an allowed origin', async () => {
    expect(gw.deps.mailer.name).toMatch(/^smtp \(127\.0\.0\.1:\d+\)$/);
    const u = await signUp();
    const mail = await requestReset(
      `  ${u.email.toUpperCase()} `,
      'http://app.example.com/reset?x=1',
    );
    expect(mail.from).toBe('rag@example.com');
    expect(mail.subject).toBe('Đặt lại mật khẩu');
    const token = tokenIn(mail);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(mail.text).toContain(
      `http://app.example.com/reset?x=1#access_token=${token}&type=recovery`,
    );

    const other = await requestReset(u.email, 'http://evil.example.net/steal');
    expect(other.text).not.toContain('evil');
    expect(other.text).not.toContain('http');
  });

  it('answers the same 200 for an unknown e-mail and sends nothing', async () => {
    const ghost = newEmail();
    expect(await post('/auth/forgot-password', { email: ghost })).toEqual({
      status: 200,
      body: OK_FORGOT,
    });
    const u = await signUp();
    await requestReset(u.email);
    expect(smtp.messages.some((m) => m.to.includes(ghost))).toBe(false);
  });

  it('sends at most 5 reset mails per account per hour', async () => {
    const u = await signUp();
    for (let i = 0; i < 5; i++) await requestReset(u.email);
    expect(await post('/auth/forgot-password', { email: u.email })).toEqual({
      status: 200,
      body: OK_FORGOT,
    });
    // The refusal happens after the answer (in the background): wait until the server has decided.
    await serverLog.waitFor('password reset mail not sent: hourly limit reached');
    expect(smtp.messages.filter((m) => m.to.includes(u.email))).toHaveLength(5);
  });

  it('validates the body', async () => {
    expect((await post('/auth/forgot-password', { email: 'nope' })).status).toBe(422);
    expect((await post('/auth/forgot-password', {})).body.detail).toMatchObject([
      { loc: ['body', 'email'], msg: 'Field required' },
    ]);
    expect((await post('/auth/forgot-password', { email: 5, redirect_to: 6 })).status).toBe(422);
    expect((await post('/auth/forgot-password', null, undefined, '{"email":')).status).toBe(422);
    expect(
      (await post('/auth/forgot-password', { email: 'a@b.co', redirect_to: 'x'.repeat(2 << 20) }))
        .status,
    ).toBe(413);
  });
});

describe('POST /auth/reset-password', () => {
  it.each([
    ['Ab1', 'Mật khẩu phải có ít nhất 8 ký tự'],
    ['lowercase1', 'Mật khẩu phải có ít nhất một chữ cái viết hoa'],
    ['UPPERCASE1', 'Mật khẩu phải có ít nhất một chữ cái viết thường'],
    ['NoDigitsHere', 'Mật khẩu phải có ít nhất một chữ số'],
  ])('checks the rules first, in order: %s → %s', async (password, rule) => {
    expect(await post('/auth/reset-password', { password, access_token: 'whatever' })).toEqual({
      status: 400,
      body: { detail: rule },
    });
  });

  it('refuses unknown tokens', async () => {
    expect(
      await post('/auth/reset-password', { password: 'NewPassw0rd', access_token: 'bogus' }),
    ).toEqual({
      status: 401,
      body: { detail: 'Token không hợp lệ hoặc đã hết hạn' },
    });
  });

  it('sets the new password once, signs the user out everywhere, and leaves other users alone', async () => {
    const a = await signUp();
    const b = await signUp();
    const token = tokenIn(await requestReset(a.email));

    const same = await post('/auth/reset-password', { password: a.password, access_token: token });
    expect(same).toEqual({ status: 400, body: { detail: 'Mật khẩu mới phải khác mật khẩu cũ' } });

    const fresh = strongPassword();
    expect(await post('/auth/reset-password', { password: fresh, access_token: token })).toEqual({
      status: 200,
      body: OK_RESET,
    });
    expect((await post('/auth/logout', undefined, a.token)).status).toBe(401);
    expect((await post('/auth/login', { email: a.email, password: a.password })).status).toBe(401);
    expect((await post('/auth/login', { email: a.email, password: fresh })).status).toBe(200);
    expect(
      await post('/auth/reset-password', { password: strongPassword(), access_token: token }),
    ).toEqual({
      status: 401,
      body: { detail: 'Token không hợp lệ hoặc đã hết hạn' },
    });

    expect((await post('/auth/login', { email: b.email, password: b.password })).status).toBe(200);
    expect((await post('/auth/logout', undefined, b.token)).status).toBe(200);
  });

  it('invalidates older outstanding tokens when one is used', async () => {
    const u = await signUp();
    const first = tokenIn(await requestReset(u.email));
    const second = tokenIn(await requestReset(u.email));
    expect(
      (await post('/auth/reset-password', { password: strongPassword(), access_token: second }))
        .status,
    ).toBe(200);
    expect(
      (await post('/auth/reset-password', { password: strongPassword(), access_token: first }))
        .status,
    ).toBe(401);
  });

  it('refuses an expired token', async () => {
    const u = await signUp();
    const token = tokenIn(await requestReset(u.email));
    clock.advance(901);
    expect(
      (await post('/auth/reset-password', { password: strongPassword(), access_token: token }))
        .status,
    ).toBe(401);
  });

  it('validates the body', async () => {
    expect((await post('/auth/reset-password', {})).body.detail).toMatchObject([
      { loc: ['body', 'password'], msg: 'Field required' },
      { loc: ['body', 'access_token'], msg: 'Field required' },
    ]);
    expect(
      (await post('/auth/reset-password', { password: 12345678, access_token: {} })).status,
    ).toBe(422);
    expect((await post('/auth/reset-password', null, undefined, 'password=x')).status).toBe(422);
    expect(
      (await post('/auth/reset-password', { password: 'x'.repeat(2 << 20), access_token: 't' }))
        .status,
    ).toBe(413);
  });
});
