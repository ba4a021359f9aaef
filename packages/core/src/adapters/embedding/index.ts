export { createEmbedder } from './create-embedder';
export { createHashingEmbedder, hashingFeatures, HASHING_EMBEDDER_ID } from './hashing-embedder';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder';
