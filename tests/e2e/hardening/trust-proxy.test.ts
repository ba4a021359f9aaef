import { describe, expect, it } from 'vitest';

import { parseEnv } from '@rag/core/testing';

import { testApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

/** A failed login over REST from behind a proxy that says the client is `forwardedFor`. */
async function failedLogin(url: string, user: TestUser, forwardedFor: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email: user.email, password: 'not-the-password' }),
  });
  return res.status;
}

const throttle = { LOGIN_MAX_FAILURES: '50', LOGIN_MAX_FAILURES_PER_ADDRESS: '2' };

describe('TRUST_PROXY: the client address behind reverse proxies', () => {
  it('off by default: X-Forwarded-For is ignored, so a client cannot dodge the per-address limit', async () => {
    const app = await testApp({ env: throttle });
    const [a, b, c] = [await app.signUp(), await app.signUp(), await app.signUp()];
    expect(await failedLogin(app.url, a, '198.51.100.1')).toBe(401);
    expect(await failedLogin(app.url, b, '198.51.100.2')).toBe(401);
    // Three addresses claimed, one TCP peer: the third failure is the peer's third.
    expect(await failedLogin(app.url, c, '198.51.100.3')).toBe(429);
  });

  it('with the proxy trusted, each forwarded client is counted on its own', async () => {
    const app = await testApp({ env: { ...throttle, TRUST_PROXY: 'loopback' } });
    const [a, b, c] = [await app.signUp(), await app.signUp(), await app.signUp()];
    expect(await failedLogin(app.url, a, '198.51.100.1')).toBe(401);
    expect(await failedLogin(app.url, b, '198.51.100.1')).toBe(401);
    expect(await failedLogin(app.url, c, '198.51.100.1')).toBe(429);
    // Other clients behind the same proxy are not locked out by that one.
    expect(await failedLogin(app.url, c, '198.51.100.2')).toBe(401);
    // A client prepending its own entry does not escape: the proxy's entry (rightmost untrusted) counts.
    expect(await failedLogin(app.url, c, '203.0.113.7, 198.51.100.1')).toBe(429);
  });

  it('keeps the loopback rule of the personal-data routes on the TCP peer', async () => {
    const app = await testApp({ env: { TRUST_PROXY: 'loopback' } });
    const path = `${app.url}/api/v1/user-chat/`;
    expect((await fetch(path)).status).toBe(200);
    // Relayed by the (trusted) proxy for someone else: that someone is not on loopback.
    expect((await fetch(path, { headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(401);
  });

  it('refuses values that would trust every hop or that are not addresses', () => {
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(/trust every hop/);
    expect(() => parseEnv({ TRUST_PROXY: 'proxy.local' })).toThrow(/proxy\.local/);
    expect(() => parseEnv({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/10\.0\.0\.0\/33/);
  });
});
