import { createMemoryFileStore } from '../../../packages/core/src/adapters/memory/memory-file-store';
import { fileStoreContract } from '../../support/file-store-contract';

fileStoreContract('in memory', async () => {
  const store = createMemoryFileStore();
  return { store, insert: async (row) => void store.insert(row), close: async () => {} };
});
