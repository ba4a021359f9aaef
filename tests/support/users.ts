import { randomUUID } from 'node:crypto';

import { findAppError, signUp, type AppError, type AuthDeps } from '@rag/core/testing';

export type TestUser = {
  token: string;
  refreshToken: string | null;
  userId: string;
  email: string;
  password: string;
};

/** A password that satisfies the document's rules. */
export function strongPassword(): string {
  return `Pw-${randomUUID().slice(0, 8)}-Aa1`;
}

/** Signs a new user up through the real auth use-case (unique e-mail by default) and returns its token. */
export async function signUpUser(
  deps: AuthDeps,
  email = `user-${randomUUID()}@example.com`,
): Promise<TestUser> {
  const password = strongPassword();
  const res = await signUp(deps, { email, password });
  return {
    token: res.accessToken,
    refreshToken: res.refreshToken,
    userId: res.user.id,
    email: res.user.email,
    password,
  };
}

/** The AppError a call failed with (tRPC wraps it), so tests can check code, message and body. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    const app = findAppError(e);
    if (app) return app;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A clock tests move by hand (token expiry, throttle windows, reset-token lifetimes). */
export function manualClock(start = new Date()) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}
