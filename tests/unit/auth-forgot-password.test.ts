import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';

import { forgotPassword, parseEnv, type AuthDeps } from '@rag/core/testing';

import { createMemoryLoginAttempts } from '../../packages/core/src/adapters/memory/login-attempts';
import { authProviderDouble } from '../support/test-doubles';

/** Auth deps whose provider never finishes: the answer must not depend on it at all. */
function depsWith(forgot: AuthDeps['auth']['forgotPassword']) {
  const log = pino({ level: 'silent' });
  const error = vi.spyOn(log, 'error');
  const deps: AuthDeps = {
    auth: authProviderDouble({ forgotPassword: forgot }),
    loginAttempts: createMemoryLoginAttempts(),
    clock: { now: () => new Date() },
    env: parseEnv({ NODE_ENV: 'test', AUTH_REDIRECT_ORIGINS: 'http://app.example.com' }),
    log,
  };
  return { deps, error };
}

describe('forgot-password answers independently of the account (issue 10 item 7)', () => {
  it('answers before the provider has even started, for existing and unknown e-mails alike', async () => {
    const calls: string[] = [];
    const { deps } = depsWith(({ email }) => {
      calls.push(email);
      return new Promise<void>(() => undefined); // never settles: a lookup + mail that takes forever
    });
    const known = await forgotPassword(deps, { email: 'Owner@Example.com' });
    const unknown = await forgotPassword(deps, { email: 'nobody@example.com' });
    expect(known).toEqual(unknown);
    expect(known.status).toBe('success');
    // Nothing of the account work ran on the request path...
    expect(calls).toEqual([]);
    // ...it runs afterwards, the same call for both.
    await vi.waitFor(() => expect(calls).toEqual(['owner@example.com', 'nobody@example.com']), {
      timeout: 30_000,
      interval: 20,
    });
  });

  it('a provider failure after the answer is logged, never surfaced or left unhandled', async () => {
    const { deps, error } = depsWith(() => Promise.reject(new Error('smtp down')));
    expect((await forgotPassword(deps, { email: 'a@example.com' })).status).toBe('success');
    await vi.waitFor(() => expect(error).toHaveBeenCalled(), { timeout: 30_000, interval: 20 });
  });
});
