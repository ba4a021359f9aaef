import { createPostgresLoginAttempts } from '../../packages/core/src/adapters/postgres/login-attempts';
import { testDatabases } from '../support/databases';
import { loginAttemptsContract } from '../support/login-attempts-contract';

for (const target of testDatabases()) {
  const { name } = target;
  loginAttemptsContract(`Postgres adapter on ${name}`, async () => {
    const database = await target.open();
    return { attempts: createPostgresLoginAttempts(database.db), close: () => database.close() };
  });
}
