import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { callerFor, createTestDeps } from '../support/harness';
import { appErrorOf, strongPassword } from '../support/users';

/**
 * Runs the Supabase provider against a real Supabase project when SUPABASE_TEST_URL and SUPABASE_TEST_KEY
 * (the anon key) are set. SUPABASE_TEST_SERVICE_KEY adds the e-mail lookup and deletes the test user
 * afterwards; SUPABASE_TEST_EMAIL_DOMAIN picks the domain of the throwaway address (default example.com).
 */
const url = process.env.SUPABASE_TEST_URL;
const key = process.env.SUPABASE_TEST_KEY;
const serviceKey = process.env.SUPABASE_TEST_SERVICE_KEY;
const domain = process.env.SUPABASE_TEST_EMAIL_DOMAIN ?? 'example.com';

describe.runIf(Boolean(url && key))('Supabase provider against a real project', () => {
  let deps: Deps;
  const email = `rag-live-${randomUUID().slice(0, 8)}@${domain}`;
  const password = strongPassword();
  let userId: string | undefined;

  beforeAll(async () => {
    deps = await createTestDeps({
      SUPABASE_URL: url,
      SUPABASE_KEY: key,
      SUPABASE_SERVICE_KEY: serviceKey,
    });
  });
  afterAll(async () => {
    if (userId && serviceKey) {
      await fetch(`${url!.replace(/\/+$/, '')}/auth/v1/admin/users/${userId}`, {
        method: 'DELETE',
        headers: { apikey: serviceKey, authorization: `Bearer ${serviceKey}` },
      });
    }
    await deps.close();
  });

  it('reaches GoTrue', async () => {
    expect(deps.auth.name).toContain('supabase');
    await expect(deps.auth.ping()).resolves.toBeUndefined();
  });

  it('signs up, then logs in (or reports the unconfirmed e-mail), refreshes and logs out', async () => {
    const anon = await callerFor(deps);
    const signedUp = await anon.auth.signUp({ email, password });
    userId = signedUp.user.id;
    expect(signedUp.user.email).toBe(email);
    if (signedUp.access_token === '') {
      const err = await appErrorOf(anon.auth.signIn({ email, password }));
      expect(err.message).toBe(
        'Email chưa được xác nhận. Vui lòng kiểm tra hộp thư để xác nhận email',
      );
      return;
    }
    const login = await anon.auth.signIn({ email, password });
    expect((await (await callerFor(deps, login.access_token)).auth.session()).user_id).toBe(userId);
    const next = await anon.auth.refresh({ refresh_token: login.refresh_token! });
    expect(next.user.id).toBe(userId);
    await (await callerFor(deps, next.access_token)).auth.signOut();
    expect((await appErrorOf((await callerFor(deps, next.access_token)).auth.me())).code).toBe(
      'UNAUTHORIZED',
    );
    expect((await (await callerFor(deps, signedUp.access_token)).auth.me()).id).toBe(userId);
  });

  it('maps a wrong password to the document message', async () => {
    const err = await appErrorOf(
      (await callerFor(deps)).auth.signIn({ email, password: 'Wrong-Passw0rd' }),
    );
    expect(err.code).toMatch(/UNAUTHORIZED|RATE_LIMITED/);
  });

  it('builds a Google URL with a PKCE challenge', async () => {
    const { url: authorize } = await (
      await callerFor(deps)
    ).auth.googleUrl({ redirect_url: 'http://localhost:3000/cb' });
    const parsed = new URL(authorize);
    expect(parsed.pathname).toBe('/auth/v1/authorize');
    expect(parsed.searchParams.get('code_challenge')).toBeTruthy();
    expect(new URL(parsed.searchParams.get('redirect_to')!).searchParams.get('state')).toBeTruthy();
  });

  it('accepts a reset request and refuses a bogus recovery token', async () => {
    const anon = await callerFor(deps);
    expect((await anon.auth.forgotPassword({ email })).status).toBe('success');
    const err = await appErrorOf(
      anon.auth.resetPassword({ access_token: 'bogus', password: strongPassword() }),
    );
    expect([err.code, err.message]).toEqual(['UNAUTHORIZED', 'Token không hợp lệ hoặc đã hết hạn']);
  });

  it.runIf(Boolean(serviceKey))('finds the user by e-mail through the admin API', async () => {
    expect((await deps.auth.findUsersByEmails([email.toUpperCase()])).get(email)).toBe(userId);
  });
});
