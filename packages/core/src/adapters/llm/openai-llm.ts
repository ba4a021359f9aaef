import { setTimeout as sleep } from 'node:timers/promises';

import OpenAI from 'openai';

import type { Llm } from '../../ports/llm';
import { createExtractiveLlm } from './extractive-llm';
import { needsRewrite, standaloneQuery } from './follow-up';
import {
  buildAnswerMessages,
  buildQuestionListMessages,
  buildRewriteMessages,
  parseQuestionList,
  renderMaterial,
  type ChatMessage,
} from './grounded-prompt';
import { isRetryable, retryDelayMs, toLlmAppError } from './openai-errors';
import { buildSqlReviewMessages, buildTitleMessages } from './task-prompts';

export type OpenAiLlmOptions = {
  apiKey: string;
  /** Any OpenAI-compatible server (vLLM, Ollama, LM Studio); the official API when unset. */
  baseURL?: string;
  model: string;
  temperature: number;
  /** Attempts before the first token (the first try included). */
  maxAttempts?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/**
 * Chat completions over any OpenAI-compatible API. The answer streams token by token and is retried
 * only while nothing has been sent yet (a retry after that would repeat text the client already has).
 * The small side calls (rewrite, related, suggestions) fall back to the model-free versions when
 * the provider fails: they decorate an answer and must not sink it.
 */
export function createOpenAiLlm(options: OpenAiLlmOptions): Llm {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    fetch: options.fetch,
  });
  const maxAttempts = options.maxAttempts ?? 3;
  const fallback = createExtractiveLlm();
  const { model, temperature } = options;

  async function complete(
    messages: ChatMessage[],
    maxTokens: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const reply = await client.chat.completions.create(
      { model, temperature, messages, max_tokens: maxTokens },
      { signal, maxRetries: 1 },
    );
    return reply.choices[0]?.message.content?.trim() ?? '';
  }

  return {
    name: `openai:${model}`,
    async *streamAnswer(input) {
      const { signal } = input;
      const messages = buildAnswerMessages(input);
      for (let attempt = 1; ; attempt++) {
        let started = false;
        try {
          const stream = await client.chat.completions.create(
            { model, temperature, messages, stream: true },
            { signal },
          );
          for await (const chunk of stream) {
            const delta = chunk.choices[0]?.delta?.content;
            if (!delta) continue;
            started = true;
            yield delta;
          }
          return;
        } catch (e) {
          if (signal?.aborted) return;
          if (started || attempt >= maxAttempts || !isRetryable(e)) throw toLlmAppError(e);
          try {
            await sleep(retryDelayMs(e, attempt), undefined, { signal });
          } catch {
            return; // aborted while waiting
          }
        }
      }
    },
    async rewriteQuery({ question, history, signal }) {
      if (!needsRewrite(question, history)) return { query: question, question };
      try {
        const rewritten = await complete(buildRewriteMessages(question, history), 120, signal);
        // The model answers from the question and the history: the rewrite is only searched.
        return { query: rewritten.replace(/^["“]|["”]$/g, '').trim() || question, question };
      } catch {
        return standaloneQuery(question, history);
      }
    },
    async relatedQuestions(input) {
      const { question, answer, sources, language, count, signal } = input;
      const material = renderMaterial({
        sources,
        extra: `Question: ${question}\n\nAnswer: ${answer.slice(0, 2000)}`,
      });
      const task =
        'Suggest follow-up questions the user could ask next about these documents: one that goes deeper, ' +
        'one about practical use, one about a related concept.';
      try {
        const text = await complete(
          buildQuestionListMessages({ task, language, count, material }),
          300,
          signal,
        );
        return parseQuestionList(text).slice(0, count);
      } catch {
        return fallback.relatedQuestions(input);
      }
    },
    async suggestQuestions(input) {
      const { history, sources, language, count, signal } = input;
      const task = history.length
        ? "Suggest questions that continue this conversation about the user's documents."
        : 'Suggest questions a reader could ask about these documents.';
      try {
        const material = renderMaterial({ history, sources });
        const text = await complete(
          buildQuestionListMessages({ task, language, count, material }),
          300,
          signal,
        );
        return parseQuestionList(text).slice(0, count);
      } catch {
        return fallback.suggestQuestions(input);
      }
    },
    // Both decorate a model-free result, so a failing provider leaves that result standing.
    async conversationTitle(input) {
      return complete(buildTitleMessages(input), 40, input.signal).catch(() => null);
    },
    async reviewSql(input) {
      return complete(buildSqlReviewMessages(input), 700, input.signal).catch(() => null);
    },
  };
}
