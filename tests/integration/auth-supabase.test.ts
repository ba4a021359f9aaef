import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { AuthMessages, type Deps } from '@rag/core/testing';

import { startGoTrueStandIn, type GoTrueStandIn } from '../support/gotrue-standin';
import { callerFor, createTestDeps } from '../support/harness';
import { appErrorOf, strongPassword } from '../support/users';

let gotrue: GoTrueStandIn;
let deps: Deps;
let counter = 0;
const email = () => `sb-${Date.now()}-${++counter}@example.com`;

async function signUp(address = email(), password = strongPassword()) {
  const res = await (await callerFor(deps)).auth.signUp({ email: address, password });
  return { ...res, password };
}

/** Follows the stand-in's /authorize redirect the way a browser would, returning the callback query. */
async function consent(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams;
}

beforeAll(async () => {
  gotrue = await startGoTrueStandIn();
  deps = await createTestDeps({
    SUPABASE_URL: gotrue.url,
    SUPABASE_KEY: gotrue.anonKey,
    SUPABASE_SERVICE_KEY: gotrue.serviceKey,
    AUTH_REDIRECT_ORIGINS: 'http://app.example.com',
  });
});
afterAll(async () => {
  await deps.close();
  await gotrue.close();
});

describe('Supabase provider (against a GoTrue stand-in)', () => {
  it('is chosen by SUPABASE_URL + SUPABASE_KEY and answers the health probe', async () => {
    expect(deps.auth.name).toContain('supabase');
    await expect(deps.auth.ping()).resolves.toBeUndefined();
  });

  it('signs up, logs in and maps GoTrue errors to the document', async () => {
    const user = await signUp();
    expect(user).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(user.access_token).not.toBe('');
    const anon = await callerFor(deps);
    expect(
      (await anon.auth.signIn({ email: user.user.email, password: user.password })).user.id,
    ).toBe(user.user.id);

    const taken = await appErrorOf(
      anon.auth.signUp({ email: user.user.email, password: strongPassword() }),
    );
    expect([taken.code, taken.message]).toEqual([
      'BAD_REQUEST',
      'Lỗi khi đăng ký tài khoản: Email này đã được đăng ký',
    ]);
    const wrong = await appErrorOf(
      anon.auth.signIn({ email: user.user.email, password: 'Wrong-pass1' }),
    );
    expect([wrong.code, wrong.message]).toEqual(['UNAUTHORIZED', AuthMessages.wrongCredentials]);
  });

  it('returns an empty access_token when Supabase requires e-mail confirmation, and refuses login until then', async () => {
    gotrue.requireConfirmation = true;
    try {
      const user = await signUp();
      expect(user).toMatchObject({ access_token: '', expires_in: null, refresh_token: null });
      const err = await appErrorOf(
        (await callerFor(deps)).auth.signIn({ email: user.user.email, password: user.password }),
      );
      expect([err.code, err.message]).toEqual(['UNAUTHORIZED', AuthMessages.emailNotConfirmed]);
    } finally {
      gotrue.requireConfirmation = false;
    }
  });

  it("logs out the caller's session only; other users and other sessions stay valid", async () => {
    const a = await signUp();
    const b = await signUp();
    const a2 = await (
      await callerFor(deps)
    ).auth.signIn({ email: a.user.email, password: a.password });
    expect(await (await callerFor(deps, b.access_token)).auth.signOut()).toEqual({
      message: 'Đăng xuất thành công',
    });
    expect((await (await callerFor(deps, a.access_token)).auth.me()).id).toBe(a.user.id);
    await (await callerFor(deps, a.access_token)).auth.signOut();
    const gone = await appErrorOf((await callerFor(deps, a.access_token)).auth.me());
    expect([gone.code, gone.message]).toEqual([
      'UNAUTHORIZED',
      'Token không hợp lệ hoặc đã hết hạn',
    ]);
    expect((await (await callerFor(deps, a2.access_token)).auth.session()).user_id).toBe(a.user.id);
  });

  it('refreshes tokens, and refuses a refresh token presented by another user', async () => {
    const a = await signUp();
    const b = await signUp();
    const next = await (
      await callerFor(deps, a.access_token)
    ).auth.refresh({ refresh_token: a.refresh_token! });
    expect(next.user.id).toBe(a.user.id);
    expect(next.refresh_token).not.toBe(a.refresh_token);
    const stolen = await appErrorOf(
      (await callerFor(deps, b.access_token)).auth.refresh({ refresh_token: next.refresh_token! }),
    );
    expect(stolen.code).toBe('UNAUTHORIZED');
    const used = await appErrorOf(
      (await callerFor(deps)).auth.refresh({ refresh_token: a.refresh_token! }),
    );
    expect(used.code).toBe('UNAUTHORIZED');
  });

  it('sends the reset e-mail through Supabase and updates the password with the recovery token', async () => {
    const user = await signUp();
    const anon = await callerFor(deps);
    await anon.auth.forgotPassword({
      email: ` ${user.user.email.toUpperCase()} `,
      redirect_to: 'http://app.example.com/reset',
    });
    await anon.auth.forgotPassword({
      email: 'nobody-here@example.com',
      redirect_to: 'http://evil.example.net/',
    });
    // The mail is requested after the answer (off the request path).
    const mail = await vi.waitFor(
      () => {
        const found = gotrue.mails.find((m) => m.email === user.user.email);
        if (!found) throw new Error('no mail yet');
        return found;
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(mail.redirectTo).toBe('http://app.example.com/reset');
    expect(gotrue.mails.some((m) => m.redirectTo?.includes('evil'))).toBe(false);

    const weak = await appErrorOf(
      anon.auth.resetPassword({ access_token: mail.accessToken, password: 'short' }),
    );
    expect([weak.code, weak.message]).toEqual(['BAD_REQUEST', 'Mật khẩu phải có ít nhất 8 ký tự']);
    const same = await appErrorOf(
      anon.auth.resetPassword({ access_token: mail.accessToken, password: user.password }),
    );
    expect([same.code, same.message]).toEqual([
      'BAD_REQUEST',
      'Mật khẩu mới phải khác mật khẩu cũ',
    ]);
    const bogus = await appErrorOf(
      anon.auth.resetPassword({ access_token: 'not-a-jwt', password: 'NewPassw0rd' }),
    );
    expect([bogus.code, bogus.message]).toEqual([
      'UNAUTHORIZED',
      'Token không hợp lệ hoặc đã hết hạn',
    ]);

    const fresh = strongPassword();
    expect(
      await anon.auth.resetPassword({ access_token: mail.accessToken, password: fresh }),
    ).toEqual({
      status: 'success',
      message: 'Mật khẩu đã được đặt lại thành công',
    });
    // Every session ended with the reset, including the one the sign-up opened.
    expect(gotrue.sessionCount(user.user.id)).toBe(0);
    const reused = await appErrorOf(
      anon.auth.resetPassword({ access_token: mail.accessToken, password: strongPassword() }),
    );
    expect(reused.code).toBe('UNAUTHORIZED');
    expect((await anon.auth.signIn({ email: user.user.email, password: fresh })).user.id).toBe(
      user.user.id,
    );
  });

  it('runs concurrent Google flows with a PKCE verifier per flow', async () => {
    const anon = await callerFor(deps);
    const first = await anon.auth.googleUrl({ redirect_url: 'http://app.example.com/cb' });
    const second = await anon.auth.googleUrl({ redirect_url: 'http://app.example.com/cb' });
    expect(new URL(first.url).pathname).toBe('/auth/v1/authorize');
    const q1 = await consent(first.url);
    const q2 = await consent(second.url);
    // Finished in the opposite order: each flow still finds its own verifier.
    const r2 = await anon.auth.googleCallback({
      code: q2.get('code')!,
      state: q2.get('state')!,
      provider: 'google',
    });
    const r1 = await anon.auth.google({
      code: q1.get('code')!,
      state: q1.get('state')!,
      provider: 'google',
    });
    expect(r1.user).toEqual({
      id: r2.user.id,
      email: 'google.user@gmail.com',
      name: 'Google User',
      avatar_url: 'https://example.com/a.png',
    });
    expect(r1.provider).toBe('google');
    expect((await (await callerFor(deps, r1.access_token)).auth.me()).email).toBe(
      'google.user@gmail.com',
    );

    const replay = await appErrorOf(
      anon.auth.googleCallback({
        code: q1.get('code')!,
        state: q1.get('state')!,
        provider: 'google',
      }),
    );
    expect(replay.message).toMatch(/^Lỗi xác thực OAuth: /);
    const noState = await appErrorOf(anon.auth.google({ code: 'x', provider: 'google' }));
    expect(noState.message).toBe(
      'Không thể xác thực với code: thiếu tham số state của luồng đăng nhập',
    );
  });

  it('signs in with a Google ID token and rejects a bad one', async () => {
    const anon = await callerFor(deps);
    const token = await gotrue.googleIdToken({
      email: 'id.token.user@gmail.com',
      name: 'Id Token',
    });
    const res = await anon.auth.google({ access_token: token, provider: 'google' });
    expect(res.user).toMatchObject({ email: 'id.token.user@gmail.com', name: 'Id Token' });
    const bad = await appErrorOf(
      anon.auth.google({ access_token: `${token}x`, provider: 'google' }),
    );
    expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', 'Lỗi xác thực: Bad ID token']);
  });

  it('finds users by e-mail through the admin API', async () => {
    const user = await signUp();
    const found = await deps.auth.findUsersByEmails([
      user.user.email.toUpperCase(),
      'missing@example.com',
    ]);
    expect(found).toEqual(new Map([[user.user.email, user.user.id]]));
  });
});
