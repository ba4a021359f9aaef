import { describe, expect, it } from 'vitest';

import { createRagClient, createRestClient, RagClientError } from '@rag/client';

import { useTestApp } from '../../support/test-app';

// Two wrong passwords lock an e-mail at one address; the other limits stay out of the way.
const app = useTestApp({
  env: {
    LOGIN_MAX_FAILURES: '2',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '100',
    LOGIN_WINDOW_S: '900',
  },
});

async function failure(p: Promise<unknown>): Promise<RagClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RagClientError))
    throw new Error(`expected a RagClientError, got ${String(err)}`);
  return err;
}

describe("RagClientError carries the server's typed details", () => {
  it('tRPC: a throttled sign-in says when to retry; a wrong password has no details', async () => {
    const owner = await app.signUp();
    const client = createRagClient({ url: `${app.url}/trpc` });
    const signIn = (password: string) =>
      client.auth.signIn.mutate({ email: owner.email, password });
    for (let i = 0; i < 2; i++) {
      const wrong = await failure(signIn('wrong-password'));
      expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', details: null, retryAfterSeconds: null });
    }
    const locked = await failure(signIn(owner.password));
    expect(locked).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      path: 'auth.signIn',
      details: { kind: 'throttled' },
    });
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(locked.details).toEqual({
      kind: 'throttled',
      retryAfterSeconds: locked.retryAfterSeconds,
    });
  });

  it('REST: the same throttle read back from Retry-After (whole seconds)', async () => {
    const owner = await app.signUp();
    const rest = createRestClient({ baseUrl: `${app.url}/api` });
    const signIn = (password: string) => rest.auth.signIn({ email: owner.email, password });
    for (let i = 0; i < 2; i++) {
      expect(await failure(signIn('wrong-password'))).toMatchObject({
        code: 'UNAUTHORIZED',
        details: null,
      });
    }
    const locked = await failure(signIn(owner.password));
    expect(locked).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { kind: 'throttled' },
    });
    expect(Number.isInteger(locked.retryAfterSeconds)).toBe(true);
    expect(locked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(900);
  });

  it('auth.session without a token is no_session on both transports, with the contract body', async () => {
    const viaTrpc = await failure(createRagClient({ url: `${app.url}/trpc` }).auth.session.query());
    const viaRest = await failure(createRestClient({ baseUrl: `${app.url}/api` }).auth.session());
    for (const err of [viaTrpc, viaRest]) {
      expect(err).toMatchObject({
        code: 'UNAUTHORIZED',
        status: 401,
        details: { kind: 'no_session' },
        body: { is_authenticated: false },
      });
    }
    expect(viaRest.message).toBe(viaTrpc.message);
  });

  it('a validation failure lists its issues and carries no details', async () => {
    const rest = createRestClient({ baseUrl: `${app.url}/api` });
    const err = await failure(rest.auth.signUp({ email: 'not-an-email', password: 'x' }));
    expect(err).toMatchObject({ code: 'UNPROCESSABLE', status: 422, details: null });
    expect(err.issues?.map((i) => i.path.at(-1))).toContain('email');
  });

  it('browsers may read Retry-After: CORS exposes it', async () => {
    const res = await fetch(`${app.url}/api/auth/session`, {
      headers: { origin: 'http://example.test' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });
});
