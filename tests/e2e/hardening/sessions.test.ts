import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signIn, type Deps } from '@rag/core/testing';

import { callerFor, createTestDeps } from '../../support/harness';
import { appErrorOf, signUpUser } from '../../support/users';

const SECRET = 'hardening-test-secret-0123456789abcdef';
let deps: Deps;

beforeAll(async () => {
  deps = await createTestDeps({ JWT_SECRET: SECRET, MAX_SESSIONS_PER_USER: '3' });
});
afterAll(async () => {
  await deps?.close();
});

const whoAmI = async (token: string) => deps.auth.verifyAccessToken(token);

describe('sessions (issue 10 item 8)', () => {
  it('reusing a rotated-out refresh token revokes the whole session', async () => {
    const user = await signUpUser(deps);
    const anon = await callerFor(deps);
    const second = await anon.auth.refresh({ refresh_token: user.refreshToken! });
    expect(await whoAmI(second.access_token)).not.toBeNull();

    // The old token again (a thief replaying it): refused, and the family dies.
    expect((await appErrorOf(anon.auth.refresh({ refresh_token: user.refreshToken! }))).code).toBe(
      'UNAUTHORIZED',
    );
    expect(await whoAmI(second.access_token)).toBeNull();
    expect(
      (await appErrorOf(anon.auth.refresh({ refresh_token: second.refresh_token! }))).code,
    ).toBe('UNAUTHORIZED');
  });

  it('an unknown refresh token revokes nothing', async () => {
    const user = await signUpUser(deps);
    const anon = await callerFor(deps);
    await appErrorOf(anon.auth.refresh({ refresh_token: 'not-a-token-of-ours' }));
    expect(await whoAmI(user.token)).not.toBeNull();
  });

  it('an access token without exp is refused even with a valid signature and session', async () => {
    const user = await signUpUser(deps);
    const session = await whoAmI(user.token);
    const forged = await new SignJWT({ sid: session!.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer('rag-local-auth')
      .setAudience('rag-api')
      .setIssuedAt()
      .sign(new TextEncoder().encode(SECRET));
    expect(await whoAmI(forged)).toBeNull();
    // The same claims with exp are accepted, so only the missing exp is what refuses it.
    const withExp = await new SignJWT({ sid: session!.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer('rag-local-auth')
      .setAudience('rag-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
    expect(await whoAmI(withExp)).not.toBeNull();
  });

  it('sessions per user are capped: signing in past MAX_SESSIONS_PER_USER revokes the oldest', async () => {
    const user = await signUpUser(deps);
    const tokens = [user.token];
    for (let i = 0; i < 3; i++)
      tokens.push((await signIn(deps, { email: user.email, password: user.password })).accessToken);
    expect(await whoAmI(tokens[0]!)).toBeNull();
    for (const t of tokens.slice(1)) expect(await whoAmI(t)).not.toBeNull();
  });
});
