/** Turns text into vectors. All vectors of one index must come from one embedder (`id` + `dimensions`). */
export interface Embedder {
  /** Stable identity of the vector space, e.g. `hashing-v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
  /** Embeds texts in order; `kind` lets asymmetric models treat queries and passages differently. */
  embed(
    texts: string[],
    opts?: { kind?: 'query' | 'document'; signal?: AbortSignal },
  ): Promise<number[][]>;
}
