import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LoginAttempts } from '../../packages/core/src/ports/login-attempts';

export type LoginAttemptsSubject = { attempts: LoginAttempts; close(): Promise<void> };

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** What the login throttle relies on, for every LoginAttempts adapter (memory, PGlite, Postgres). */
export function loginAttemptsContract(name: string, open: () => Promise<LoginAttemptsSubject>) {
  describe(`LoginAttempts contract: ${name}`, () => {
    let s: LoginAttemptsSubject;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(() => s?.close());
    const email = () => `${randomUUID()}@example.com`;

    it('records increasing ids and reads a pair newest first, both outcomes, within the window', async () => {
      const who = email();
      const a = await s.attempts.record(who, '10.0.0.1', at(1));
      const b = await s.attempts.record(who, '10.0.0.1', at(2));
      const c = await s.attempts.record(who, '10.0.0.1', at(3));
      await s.attempts.record(who, '10.0.0.2', at(3));
      expect(a < b && b < c).toBe(true);
      await s.attempts.markSucceeded(b);
      const recent = await s.attempts.recentOfPair(who, '10.0.0.1', { since: at(0), upTo: c }, 10);
      expect(recent).toEqual([
        { id: c, succeeded: false, at: at(3) },
        { id: b, succeeded: true, at: at(2) },
        { id: a, succeeded: false, at: at(1) },
      ]);
      expect(
        (await s.attempts.recentOfPair(who, '10.0.0.1', { since: at(1), upTo: b }, 10)).map(
          (r) => r.id,
        ),
      ).toEqual([b]);
      expect(
        (await s.attempts.recentOfPair(who, '10.0.0.1', { since: at(0), upTo: c }, 2)).length,
      ).toBe(2);
    });

    it('counts failures per account and per address with the oldest one', async () => {
      const who = email();
      const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const first = await s.attempts.record(who, ip, at(10));
      const ok = await s.attempts.record(who, 'elsewhere', at(11));
      await s.attempts.markSucceeded(ok);
      const last = await s.attempts.record(who, 'elsewhere', at(12));
      const window = { since: at(0), upTo: last };
      expect(await s.attempts.failures({ email: who }, window)).toEqual({ n: 2, oldest: at(10) });
      expect(await s.attempts.failures({ clientIp: ip }, window)).toEqual({ n: 1, oldest: at(10) });
      expect(await s.attempts.failures({ email: who }, { since: at(0), upTo: first })).toEqual({
        n: 1,
        oldest: at(10),
      });
      expect(await s.attempts.failures({ email: email() }, window)).toEqual({ n: 0, oldest: null });
    });

    it('removes one attempt, clears an account and prunes by age', async () => {
      const who = email();
      const other = email();
      const gone = await s.attempts.record(who, 'ip', at(20));
      const kept = await s.attempts.record(other, 'ip', at(21));
      await s.attempts.remove(gone);
      const window = { since: at(0), upTo: kept };
      expect((await s.attempts.failures({ email: who }, window)).n).toBe(0);
      await s.attempts.record(who, 'ip', at(22));
      await s.attempts.clearAccount(who);
      expect((await s.attempts.failures({ email: who }, { since: at(0), upTo: kept + 10 })).n).toBe(
        0,
      );
      expect((await s.attempts.failures({ email: other }, window)).n).toBe(1);
      await s.attempts.prune(at(22));
      expect((await s.attempts.failures({ email: other }, window)).n).toBe(0);
    });

    it('counts sign-up attempts per address, apart from login failures, and prunes them too', async () => {
      const ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const first = await s.attempts.recordSignup(ip, at(30));
      const second = await s.attempts.recordSignup(ip, at(31));
      const elsewhere = await s.attempts.recordSignup('10.3.0.1', at(31));
      expect(first < second && second < elsewhere).toBe(true);
      const window = { since: at(0), upTo: elsewhere };
      expect(await s.attempts.signups(ip, window)).toEqual({ n: 2, oldest: at(30) });
      expect(await s.attempts.signups(ip, { since: at(30), upTo: elsewhere })).toEqual({
        n: 1,
        oldest: at(31),
      });
      expect(await s.attempts.signups(ip, { since: at(0), upTo: first })).toEqual({
        n: 1,
        oldest: at(30),
      });
      // Not login failures of that address.
      expect((await s.attempts.failures({ clientIp: ip }, window)).n).toBe(0);
      await s.attempts.removeSignup(first);
      expect(await s.attempts.signups(ip, window)).toEqual({ n: 1, oldest: at(31) });
      await s.attempts.prune(at(32));
      expect(await s.attempts.signups(ip, window)).toEqual({ n: 0, oldest: null });
    });
    it('serialized: a call sharing a key starts once the one before it has finished and its record counts', async () => {
      const ip = `10.4.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const order: string[] = [];
      let recorded = () => {};
      const firstRecorded = new Promise<void>((resolve) => (recorded = resolve));
      let open = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      const first = s.attempts.serialized([`a:${ip}`, `b:${ip}`], async (a) => {
        await a.recordSignup(ip, at(40));
        recorded();
        await gate;
        order.push('first done');
      });
      await firstRecorded;
      // Shares one key, listed in the other order (no deadlock either way).
      const second = s.attempts.serialized([`b:${ip}`, `c:${ip}`], async (a) => {
        order.push('second starts');
        const id = await a.recordSignup(ip, at(41));
        return a.signups(ip, { since: at(0), upTo: id });
      });
      // Opened at once, no pause: without the lock an in-process store runs the second call before the
      // first finishes. (On PostgreSQL a missing lock shows in the parallel attempts of
      // `auth-login-attempts.test.ts`, which need no timer either.)
      open();
      await first;
      expect(await second).toEqual({ n: 2, oldest: at(40) });
      expect(order).toEqual(['first done', 'second starts']);
    });

    it('serialized: a failure inside releases the keys', async () => {
      const key = `k:${randomUUID()}`;
      await expect(
        s.attempts.serialized([key], () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      expect(await s.attempts.serialized([key], () => Promise.resolve('next'))).toBe('next');
    });
  });
}
