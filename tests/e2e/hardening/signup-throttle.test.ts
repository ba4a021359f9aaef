import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { AuthMessages } from '@rag/core/testing';

import { manualClock, strongPassword } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const clock = manualClock();
// A proxy on loopback forwards each client's address (TRUST_PROXY), as behind Caddy or nginx.
const app = useTestApp({
  env: { SIGNUP_MAX_PER_ADDRESS: '3', SIGNUP_WINDOW_S: '3600', TRUST_PROXY: 'loopback' },
  overrides: { clock },
});

const email = () => `signup-${randomUUID()}@example.com`;

async function signUpFrom(client: string | null, password = strongPassword()) {
  const res = await fetch(`${app.url}/api/auth/signup`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(client ? { 'x-forwarded-for': client } : {}),
    },
    body: JSON.stringify({ email: email(), password }),
  });
  const body = (await res.json()) as unknown;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

/** tRPC's `auth.signUp` over HTTP (one procedure per request, as the edge requires). */
async function trpcSignUpFrom(client: string) {
  const res = await fetch(`${app.url}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ json: { email: email(), password: strongPassword() } }),
  });
  return res.status;
}

describe('sign-up throttle per client address (SIGNUP_MAX_PER_ADDRESS)', () => {
  it('refuses the attempt past the limit with 429 and Retry-After, whatever the earlier ones gave', async () => {
    const client = '198.51.100.20';
    expect((await signUpFrom(client)).status).toBe(200);
    // A refused password is an attempt too (sign-up probes count whether or not they succeed).
    expect((await signUpFrom(client, 'short')).status).toBe(400);
    expect(await trpcSignUpFrom(client)).toBe(200);
    const refused = await signUpFrom(client);
    expect(refused).toMatchObject({
      status: 429,
      body: { detail: AuthMessages.tooManySignups },
    });
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
    expect(await trpcSignUpFrom(client)).toBe(429);
    // Other clients, and a local script (loopback, nothing forwarded), are not held back.
    expect((await signUpFrom('198.51.100.21')).status).toBe(200);
    expect((await signUpFrom(null)).status).toBe(200);
  });

  it('counts parallel attempts before any account is made, and lifts when the window passes', async () => {
    const client = '198.51.100.22';
    const all = await Promise.all(Array.from({ length: 10 }, () => signUpFrom(client)));
    expect(all.filter((r) => r.status === 200)).toHaveLength(3);
    expect(all.filter((r) => r.status === 429)).toHaveLength(7);
    clock.advance(3601);
    expect((await signUpFrom(client)).status).toBe(200);
  });
});
