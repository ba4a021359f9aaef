import { createPostgresEmailSyncStore } from '../../../packages/core/src/adapters/postgres/email-sync-store';
import { createPostgresInsertFeed } from '../../../packages/core/src/adapters/postgres/insert-feed';
import { testDatabases } from '../../support/databases';
import { emailSyncStoreContract } from '../../support/email-sync-store-contract';

for (const target of testDatabases()) {
  const { name } = target;
  emailSyncStoreContract(`Postgres adapters on ${name}`, async () => {
    const database = await target.open();
    return {
      emailSync: createPostgresEmailSyncStore(database.db),
      insertFeed: createPostgresInsertFeed(database),
      close: () => database.close(),
    };
  });
}
