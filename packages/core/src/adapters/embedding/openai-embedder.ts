import OpenAI, { APIError } from 'openai';

import { AppError } from '../../errors';
import type { Embedder } from '../../ports/embedder';
import { headerNumber, headersOf, statusOf } from '../llm/openai-errors';

/** Native dimensions of the well-known models (others need EMBEDDING_DIMENSIONS). */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export type OpenAiEmbedderOptions = {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Requested output dimension (sent as `dimensions`); the model's native one when omitted. */
  dimensions?: number;
  batchSize?: number;
  concurrency?: number;
  maxRetries?: number;
  /** Base backoff; attempt n waits base·2^n (plus jitter), or the server's Retry-After. */
  backoffMs?: number;
};

function retryable(e: unknown): boolean {
  if (!(e instanceof APIError)) return false;
  const status = statusOf(e);
  return status === undefined || status === 429 || status >= 500;
}

function retryAfterMs(e: unknown): number | null {
  const seconds = e instanceof APIError ? headerNumber(headersOf(e), 'retry-after') : null;
  return seconds === null ? null : Math.min(seconds * 1000, 30_000);
}

const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('aborted', { cause: signal.reason });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(abortReason(signal))), {
      once: true,
    });
  });

/** Any OpenAI-compatible `/embeddings` server, with batching, bounded concurrency and retries. */
export function createOpenAiEmbedder(opts: OpenAiEmbedderOptions): Embedder {
  const dimensions = opts.dimensions ?? KNOWN_DIMENSIONS[opts.model];
  if (!dimensions) {
    throw new Error(`EMBEDDING_DIMENSIONS must be set for the embedding model "${opts.model}"`);
  }
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: 0,
    timeout: 60_000,
  });
  const batchSize = opts.batchSize ?? 128;
  const concurrency = opts.concurrency ?? 4;
  const maxRetries = opts.maxRetries ?? 4;
  const backoffMs = opts.backoffMs ?? 500;

  async function embedBatch(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.embeddings.create(
          {
            model: opts.model,
            input: texts,
            encoding_format: 'float',
            ...(opts.dimensions ? { dimensions: opts.dimensions } : {}),
          },
          { signal },
        );
        const out = new Array<number[]>(texts.length);
        for (const item of res.data) out[item.index] = item.embedding;
        for (const v of out) {
          if (!v || v.length !== dimensions) {
            throw new AppError(
              'UPSTREAM_FAILED',
              `Dịch vụ embedding trả về vector không hợp lệ (cần ${dimensions} chiều)`,
            );
          }
        }
        return out;
      } catch (e) {
        if (e instanceof AppError || signal?.aborted) throw e;
        if (retryable(e) && attempt < maxRetries) {
          const wait = retryAfterMs(e) ?? backoffMs * 2 ** attempt * (1 + Math.random() * 0.25);
          await sleep(wait, signal);
          continue;
        }
        const detail = e instanceof Error ? e.message : String(e);
        const status = e instanceof APIError ? statusOf(e) : undefined;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
          throw new AppError('UPSTREAM_FAILED', `Dịch vụ embedding từ chối yêu cầu: ${detail}`, {
            cause: e,
          });
        }
        throw new AppError('UNAVAILABLE', `Dịch vụ embedding không khả dụng: ${detail}`, {
          cause: e,
        });
      }
    }
  }

  return {
    id: `openai:${opts.model}`,
    dimensions,
    // A trained model's cosine is taken at face value: alpha alone sets its share.
    fusionWeight: 1,
    async embed(texts, options) {
      const batches: string[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
      const results = new Array<number[][]>(batches.length);
      let next = 0;
      // A fixed pool of workers keeps at most `concurrency` requests in flight.
      const worker = async () => {
        while (next < batches.length) {
          const i = next++;
          const batch = batches[i];
          if (batch) results[i] = await embedBatch(batch, options?.signal);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      return results.flat();
    },
  };
}
