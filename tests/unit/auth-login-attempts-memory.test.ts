import { describe, expect, it } from 'vitest';

import { createMemoryLoginAttempts } from '../../packages/core/src/adapters/memory/login-attempts';
import { createLoginThrottle } from '../../packages/core/src/domain/auth/login-throttle';
import { loginAttemptsContract } from '../support/login-attempts-contract';

loginAttemptsContract('in memory', () =>
  Promise.resolve({ attempts: createMemoryLoginAttempts(), close: () => Promise.resolve() }),
);

describe('login throttle over the memory adapter (no database)', () => {
  const settings = {
    maxFailures: 3,
    maxAccountFailures: 6,
    maxAddressFailures: 5,
    windowSeconds: 60,
  };
  const clockAt = (start: number) => {
    let now = start;
    return { now: () => new Date(now), advance: (s: number) => (now += s * 1000) };
  };

  it('locks a pair after its failures, with Retry-After until the oldest leaves the window', async () => {
    const clock = clockAt(Date.UTC(2026, 0, 1));
    const throttle = createLoginThrottle(createMemoryLoginAttempts(), clock, settings);
    for (let i = 0; i < 3; i++) {
      const gate = await throttle.begin('a@example.com', '10.0.0.1');
      expect(gate.retryAfter).toBeUndefined();
      clock.advance(10);
    }
    expect(await throttle.begin('a@example.com', '10.0.0.1')).toEqual({ retryAfter: 30 });
    // Another address is not locked by this pair's run.
    expect((await throttle.begin('a@example.com', '10.0.0.9')).retryAfter).toBeUndefined();
    clock.advance(31);
    expect((await throttle.begin('a@example.com', '10.0.0.1')).retryAfter).toBeUndefined();
  });

  it('a success ends the pair run; a cleared account starts clean', async () => {
    const clock = clockAt(Date.UTC(2026, 0, 2));
    const throttle = createLoginThrottle(createMemoryLoginAttempts(), clock, settings);
    for (let i = 0; i < 2; i++) await throttle.begin('b@example.com', 'ip');
    const gate = await throttle.begin('b@example.com', 'ip');
    if (gate.retryAfter !== undefined) throw new Error('not throttled yet');
    await throttle.succeeded(gate.attempt);
    for (let i = 0; i < 3; i++)
      expect((await throttle.begin('b@example.com', 'ip')).retryAfter).toBeUndefined();
    expect((await throttle.begin('b@example.com', 'ip')).retryAfter).toBeGreaterThan(0);
    await throttle.clearAccount('b@example.com');
    expect((await throttle.begin('b@example.com', 'ip')).retryAfter).toBeUndefined();
  });
});
