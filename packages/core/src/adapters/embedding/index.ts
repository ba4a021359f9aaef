export { createEmbedder } from './create-embedder';
export { queryVectorOf } from './embed-query';
export {
  createHashingEmbedder,
  HASHING_EMBEDDER_ID,
  HASHING_FUSION_WEIGHT,
  hashingFeatures,
} from './hashing-embedder';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder';
