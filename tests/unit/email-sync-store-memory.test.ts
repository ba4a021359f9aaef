import { createMemoryEmailSync } from '../../packages/core/src/adapters/memory/email-sync-store';
import { emailSyncStoreContract } from '../support/email-sync-store-contract';

emailSyncStoreContract('in memory', () =>
  Promise.resolve({ ...createMemoryEmailSync(), close: () => Promise.resolve() }),
);
