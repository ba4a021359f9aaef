import type { Env } from '../../env';
import type { Llm } from '../../ports/llm';
import { createExtractiveLlm } from './extractive-llm';

/**
 * Picks the answerer: `LLM_PROVIDER` when set, else OpenAI-compatible when a key is configured. The
 * OpenAI SDK (and the undici it pulls in) loads only when chosen: it is most of a cold start's imports.
 */
export async function createLlm(
  env: Pick<
    Env,
    'LLM_PROVIDER' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'LLM_MODEL' | 'LLM_TEMPERATURE'
  >,
): Promise<Llm> {
  const provider = env.LLM_PROVIDER ?? (env.OPENAI_API_KEY ? 'openai' : 'extractive');
  if (provider === 'extractive') return createExtractiveLlm();
  // Local OpenAI-compatible servers (Ollama, LM Studio) take any key, so a base URL alone is enough.
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    throw new Error('LLM_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  const { createOpenAiLlm } = await import('./openai-llm');
  return createOpenAiLlm({
    apiKey: env.OPENAI_API_KEY ?? 'not-needed',
    baseURL: env.OPENAI_BASE_URL,
    model: env.LLM_MODEL,
    temperature: env.LLM_TEMPERATURE,
  });
}
