import { describe, expect, it } from 'vitest';

import { findAppError, schema } from '@rag/core/testing';
import { eq } from 'drizzle-orm';

import { DetailBody } from '../../support/bodies';
import { callerFor } from '../../support/harness';
import { appErrorOf, manualClock, strongPassword } from '../../support/users';
import { useTestApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

const clock = manualClock();
const app = useTestApp({
  env: {
    LOGIN_MAX_FAILURES: '5',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '12',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '20',
    LOGIN_WINDOW_S: '900',
    TRPC_MAX_BATCH: '10',
  },
  overrides: { clock },
});

const signIn = async (email: string, password: string, ip: string) =>
  (await callerFor(app.deps, null, ip)).auth.signIn({ email, password });

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const app = findAppError(e);
    if (!app) throw e;
    return app.code;
  }
}

describe('login throttle (issue 10 items 5, 6)', () => {
  it('concurrent attempts are all counted: no more than the limit reach the password check', async () => {
    const owner = await app.signUp();
    const tries = Array.from({ length: 40 }, (_, i) =>
      outcome(signIn(owner.email, i === 39 ? owner.password : 'wrong-password', '10.0.0.1')),
    );
    const results = await Promise.all(tries);
    expect(results.filter((r) => r === 'UNAUTHORIZED').length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(34);
    // The attacker's address stays locked even for the right password...
    expect(await outcome(signIn(owner.email, owner.password, '10.0.0.1'))).toBe('RATE_LIMITED');
    // ...while the owner gets in from their own address.
    expect(await outcome(signIn(owner.email, owner.password, '10.9.9.9'))).toBe('ok');
  });

  it('the lock carries Retry-After and lifts when the window passes (clock, not sleep)', async () => {
    const owner = await app.signUp();
    for (let i = 0; i < 5; i++) await outcome(signIn(owner.email, 'nope', '10.0.0.2'));
    const locked = await appErrorOf(signIn(owner.email, owner.password, '10.0.0.2'));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(locked.details).toMatchObject({ kind: 'throttled' });
    expect(
      locked.details?.kind === 'throttled' && locked.details.retryAfterSeconds,
    ).toBeGreaterThan(0);
    clock.advance(901);
    expect(await outcome(signIn(owner.email, owner.password, '10.0.0.2'))).toBe('ok');
  });

  it('one address guessing many accounts is locked by the per-address limit', async () => {
    const victims = await Promise.all(Array.from({ length: 4 }, () => app.signUp()));
    for (let i = 0; i < 12; i++) await outcome(signIn(victims[i % 4]!.email, 'bad', '10.0.0.3'));
    const v = victims[0]!;
    expect(await outcome(signIn(v.email, v.password, '10.0.0.3'))).toBe('RATE_LIMITED');
    expect(await outcome(signIn(v.email, v.password, '10.0.0.4'))).toBe('ok');
    clock.advance(901);
  });

  it('spread-out guessing hits the higher per-account ceiling; a password reset clears it', async () => {
    const owner = await app.signUp();
    for (let i = 0; i < 20; i++) await outcome(signIn(owner.email, 'bad', `10.1.0.${i}`));
    expect(await outcome(signIn(owner.email, owner.password, '10.2.0.1'))).toBe('RATE_LIMITED');

    await (await callerFor(app.deps)).auth.forgotPassword({ email: owner.email });
    const mail = await waitForMail(owner.email);
    const token = /reset-password\): (\S+)/.exec(mail)![1]!;
    const password = strongPassword();
    await (await callerFor(app.deps)).auth.resetPassword({ access_token: token, password });
    expect(await outcome(signIn(owner.email, password, '10.2.0.1'))).toBe('ok');
  });

  it('tRPC batches of auth procedures are refused; batch size is capped', async () => {
    const owner = await app.signUp();
    const input = JSON.stringify(
      Object.fromEntries([0, 1].map((i) => [i, { json: { email: owner.email, password: 'x' } }])),
    );
    const res = await fetch(`${app.url}/trpc/auth.signIn,auth.signIn?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: input,
    });
    expect(res.status).toBe(400);
    expect(DetailBody.parse(await res.json()).detail).toContain('batch');

    // Auth queries may still be batched (the typed client batches auth.me with others).
    const queries = await fetch(`${app.url}/trpc/auth.me,files.list?batch=1&input={}`);
    expect(queries.status).toBe(401);

    const paths = Array.from({ length: 11 }, () => 'conversations.latest').join(',');
    const big = await fetch(`${app.url}/trpc/${paths}?batch=1&input={}`);
    expect(big.status).toBe(400);
    const small = await fetch(
      `${app.url}/trpc/conversations.latest,conversations.latest?batch=1&input={}`,
    );
    expect(small.status).toBe(401);
  });
});

function waitForMail(to: string): Promise<string> {
  // Mail leaves off the request path: watch the dev outbox (generous bound: 60 s).
  return waitUntil(
    async () => {
      const rows = await app.deps.db
        .select()
        .from(schema.mailOutbox)
        .where(eq(schema.mailOutbox.to, to));
      return rows.at(-1)?.text;
    },
    `mail to ${to}`,
    60_000,
  );
}
