import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createPostgresLoginAttempts } from '../../packages/core/src/adapters/postgres/login-attempts';
import { createLoginThrottle } from '../../packages/core/src/domain/auth/login-throttle';
import { signupWait } from '../../packages/core/src/domain/auth/signup-throttle';
import { testDatabases } from '../support/databases';
import { loginAttemptsContract } from '../support/login-attempts-contract';
import { manualClock } from '../support/users';

for (const target of testDatabases()) {
  const { name } = target;
  loginAttemptsContract(`Postgres adapter on ${name}`, async () => {
    const database = await target.open();
    return { attempts: createPostgresLoginAttempts(database.db), close: () => database.close() };
  });

  // On PostgreSQL, parallel attempts run on several connections: each is counted with every one before it.
  describe(`throttles under parallel attempts on ${name}`, () => {
    const address = () =>
      `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

    it('admits exactly the limit of parallel logins of one account from one address', async () => {
      const database = await target.open();
      try {
        const throttle = createLoginThrottle(
          createPostgresLoginAttempts(database.db),
          manualClock(),
          {
            maxFailures: 3,
            maxAccountFailures: 100,
            maxAddressFailures: 100,
            windowSeconds: 900,
          },
        );
        const email = `${randomUUID()}@example.com`;
        const ip = address();
        const results = await Promise.all(
          Array.from({ length: 24 }, () => throttle.begin(email, ip)),
        );
        expect(results.filter((r) => r.retryAfter === undefined)).toHaveLength(3);
      } finally {
        await database.close();
      }
    });

    it('admits exactly the limit of parallel sign-ups from one address', async () => {
      const database = await target.open();
      try {
        const attempts = createPostgresLoginAttempts(database.db);
        const clock = manualClock();
        const ip = address();
        const waits = await Promise.all(
          Array.from({ length: 24 }, () =>
            signupWait(attempts, clock, { maxPerAddress: 4, windowSeconds: 3600 }, ip),
          ),
        );
        expect(waits.filter((w) => w === undefined)).toHaveLength(4);
      } finally {
        await database.close();
      }
    });
  });
}
