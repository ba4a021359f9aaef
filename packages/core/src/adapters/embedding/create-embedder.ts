import type { Env } from '../../env';
import type { Embedder } from '../../ports/embedder';
import { createHashingEmbedder } from './hashing-embedder';

/**
 * EMBEDDING_PROVIDER, else OpenAI when OPENAI_API_KEY is set, else the offline hashing embedder. The
 * OpenAI SDK loads only when chosen (start-up time).
 */
export async function createEmbedder(env: Env): Promise<Embedder> {
  const provider = env.EMBEDDING_PROVIDER ?? (env.OPENAI_API_KEY ? 'openai' : 'hashing');
  if (provider === 'hashing') return createHashingEmbedder(env.EMBEDDING_DIMENSIONS ?? 768);
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    throw new Error(
      'EMBEDDING_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)',
    );
  }
  const { createOpenAiEmbedder } = await import('./openai-embedder');
  return createOpenAiEmbedder({
    // Local OpenAI-compatible servers often need no key; the SDK still wants a non-empty one.
    apiKey: env.OPENAI_API_KEY ?? 'not-needed',
    baseURL: env.OPENAI_BASE_URL,
    model: env.EMBEDDING_MODEL,
    dimensions: env.EMBEDDING_DIMENSIONS,
  });
}
