/** Turns text into vectors. All vectors of one index must come from one embedder (`id` + `dimensions`). */
export interface Embedder {
  /** Stable identity of the vector space, e.g. `hashing-v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
  /**
   * Calibration of this embedder's cosine to the 0..1 relevance scale of hybrid fusion: the semantic
   * score is `fusionWeight × clamped cosine`, so `alpha·semantic + (1−alpha)·keyword` weighs evidence
   * of comparable strength. In (0, 1]; absent means 1 (the cosine of a trained embedding model taken
   * at face value). A weak embedder declares less, so that its similarity cannot outvote BM25.
   */
  readonly fusionWeight?: number;
  /** Embeds texts in order; `kind` lets asymmetric models treat queries and passages differently. */
  embed(
    texts: string[],
    opts?: { kind?: 'query' | 'document'; signal?: AbortSignal },
  ): Promise<number[][]>;
}
