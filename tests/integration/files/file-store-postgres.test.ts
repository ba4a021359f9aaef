import { schema } from '@rag/core/testing';

import { createPostgresFileStore } from '../../../packages/core/src/adapters/postgres/file-store';
import { testDatabases } from '../../support/databases';
import { fileStoreContract } from '../../support/file-store-contract';

// PGlite always; a real PostgreSQL too when the machine has its binaries.
for (const target of testDatabases()) {
  const { name } = target;
  fileStoreContract(name, async () => {
    const database = await target.open();
    return {
      store: createPostgresFileStore(database.db),
      insert: async (row) => {
        await database.db
          .insert(schema.files)
          .values({ status: 'processing', stage: 'stored', ...row });
      },
      close: () => database.close(),
    };
  });
}
