import { randomBytes } from 'node:crypto';

import { describe } from 'vitest';

import {
  createHashingEmbedder,
  createQdrantIndex,
  DEFAULT_BM25,
  readProcessEnv,
} from '@rag/core/testing';

import { vectorIndexContract } from '../support/vector-index-contract';

/**
 * The shared VectorIndex contract against a real Qdrant: `QDRANT_URL=http://localhost:6333
 * [QDRANT_API_KEY=…] pnpm vitest run --project live live/qdrant`. Uses a throw-away collection.
 */
const env = readProcessEnv();

describe.runIf(Boolean(env.QDRANT_URL))('live Qdrant', () => {
  const collection = `rag_contract_${randomBytes(4).toString('hex')}`;
  const embedder = createHashingEmbedder();
  vectorIndexContract(`Qdrant at ${env.QDRANT_URL ?? '(unset)'}`, async () => {
    const index = createQdrantIndex({
      url: env.QDRANT_URL!,
      apiKey: env.QDRANT_API_KEY,
      collection,
      embedder,
      bm25: DEFAULT_BM25,
    });
    await index.init();
    return {
      index,
      embedder,
      async close() {
        await fetch(`${env.QDRANT_URL!.replace(/\/$/, '')}/collections/${collection}`, {
          method: 'DELETE',
          headers: env.QDRANT_API_KEY ? { 'api-key': env.QDRANT_API_KEY } : {},
        });
        await index.close();
      },
    };
  });
});
