import { createMemoryConversationStores } from '../../../packages/core/src/adapters/memory/conversation-stores';
import { conversationStoresContract } from '../../support/conversation-store-contract';

conversationStoresContract('in memory', () =>
  Promise.resolve({ ...createMemoryConversationStores(), close: () => Promise.resolve() }),
);
