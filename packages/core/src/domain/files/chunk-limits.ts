/**
 * The longest chunk, in characters: CHUNK_SIZE's maximum and the cap of a paragraph kept whole
 * (CHUNK_WHOLE_LIMIT), i.e. what an embedder is known to take. One constant, read by the settings and
 * the chunker alike.
 */
export const MAX_CHUNK_CHARS = 8000;
