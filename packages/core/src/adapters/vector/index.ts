export { createVectorIndex } from './create-vector-index';
export {
  createPgvectorIndex,
  type PgvectorIndex,
  type PgvectorIndexOptions,
} from './pgvector-index';
export { createQdrantIndex, type QdrantIndexOptions } from './qdrant-index';
export { pgvectorVersionProblem, MIN_PGVECTOR } from './pgvector-version';
