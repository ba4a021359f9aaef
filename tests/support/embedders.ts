import { createHashingEmbedder, type Embedder } from '@rag/core/testing';

/**
 * The hashing embedder whose document embeddings wait for `open()`; `waiting` resolves at the first one.
 * Its id is not the hashing one, so documents are embedded on the gateway thread, never in the pool.
 */
export function gatedEmbedder(): Embedder & { waiting: Promise<void>; open(): void } {
  const inner = createHashingEmbedder(768);
  let waiting: () => void = () => undefined;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  return {
    id: 'gated-test-embedder',
    dimensions: inner.dimensions,
    fusionWeight: inner.fusionWeight,
    waiting: new Promise<void>((r) => (waiting = r)),
    open: () => open(),
    async embed(texts, opts) {
      if (opts?.kind !== 'query') {
        waiting();
        await gate;
      }
      return inner.embed(texts, opts);
    },
  };
}
