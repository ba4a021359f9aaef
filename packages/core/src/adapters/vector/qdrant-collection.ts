import type { QdrantClient } from '@qdrant/js-client-rest';

import { documentTerms } from '../../domain/search/tokenizer';
import { TERMS_KEY } from './qdrant-bm25';

type SparseConfig = Record<string, { modifier?: unknown } | undefined> | null | undefined;

/**
 * Creates the shared collection, or checks an existing one: dense vectors of the embedder's size and
 * `bm25` sparse vectors without Qdrant's idf modifier (the query carries per-user idf). A collection
 * built by an earlier version with the modifier is upgraded in place. Then the payload indexes.
 */
export async function ensureCollection(client: QdrantClient, name: string, dim: number) {
  const { exists } = await client.collectionExists(name);
  const upgrade = exists ? await checkCollection(client, name, dim) : false;
  if (!exists) {
    await client.createCollection(name, {
      vectors: { dense: { size: dim, distance: 'Cosine' } },
      sparse_vectors: { bm25: { modifier: 'none' } },
    });
  }
  // Qdrant's multitenancy: a tenant index on user_id co-locates each user's points.
  await client.createPayloadIndex(name, {
    wait: true,
    field_name: 'user_id',
    field_schema: { type: 'keyword', is_tenant: true },
  });
  // `terms` (a keyword array) gives each term's document frequency among a user's chunks.
  for (const field of ['file_id', 'source', TERMS_KEY] as const) {
    await client.createPayloadIndex(name, {
      wait: true,
      field_name: field,
      field_schema: 'keyword',
    });
  }
  await client.createPayloadIndex(name, {
    wait: true,
    field_name: 'page',
    field_schema: 'integer',
  });
  if (upgrade) await dropCollectionIdf(client, name);
}

/** Refuses a collection this adapter cannot serve; true when it still uses collection-wide idf. */
async function checkCollection(client: QdrantClient, name: string, dim: number) {
  const params = (await client.getCollection(name)).config.params;
  const size = (params.vectors as Record<string, { size?: number }> | undefined)?.dense?.size;
  if (size !== dim) {
    throw new Error(
      `Qdrant collection "${name}" has dense vectors of size ${String(size)}, the embedder produces ${dim}`,
    );
  }
  const bm25 = (params.sparse_vectors as SparseConfig)?.bm25;
  if (!bm25) {
    throw new Error(
      `Qdrant collection "${name}" has no "bm25" sparse vectors: it was not created by this service`,
    );
  }
  return bm25.modifier === 'idf';
}

/**
 * Upgrades a collection whose BM25 idf Qdrant computed over every tenant: gives each chunk its
 * `terms` payload (from its stored text), then switches the modifier off. The stored vectors already
 * hold idf-free term weights, so they stay. Terms first: until the switch, searches still work the
 * old way, and a crash part-way resumes on the next start (only chunks without terms are visited).
 */
async function dropCollectionIdf(client: QdrantClient, name: string) {
  const missing = { must: [{ is_empty: { key: TERMS_KEY } }] };
  let offset: string | number | undefined;
  do {
    const page = await client.scroll(name, {
      filter: missing,
      limit: 256,
      with_payload: ['text'],
      with_vector: false,
      ...(offset === undefined ? {} : { offset }),
    });
    if (page.points.length > 0) {
      await client.batchUpdate(name, {
        wait: true,
        operations: page.points.map((p) => ({
          set_payload: {
            payload: {
              [TERMS_KEY]: [
                ...documentTerms(
                  typeof p.payload?.text === 'string' ? p.payload.text : '',
                ).tf.keys(),
              ],
            },
            points: [p.id],
          },
        })),
      });
    }
    const next = page.next_page_offset;
    offset = typeof next === 'string' || typeof next === 'number' ? next : undefined;
  } while (offset !== undefined);
  await client.updateCollection(name, { sparse_vectors: { bm25: { modifier: 'none' } } });
}
