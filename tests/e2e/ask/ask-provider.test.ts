import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EventSource } from 'eventsource';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ASK_CONNECTION_LOST, createRagClient } from '@rag/client';
import type { Deps } from '@rag/core';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import {
  callerFor,
  createTestDeps,
  startGateway,
  type RunningGateway,
} from '../../support/harness';
import { startOpenAiStandin, type OpenAiStandin } from '../../support/openai-standin';
import { ask, postAsk, readSse } from '../../support/sse-client';
import { startTcpProxy } from '../../support/tcp-proxy';
import { signUpUser, type TestUser } from '../../support/users';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

let standin: OpenAiStandin;
let deps: Deps;
let gw: RunningGateway;
let user: TestUser;
let wiki: string;

beforeAll(async () => {
  standin = await startOpenAiStandin();
  // Configured the way an operator would: the environment picks the OpenAI-compatible adapter.
  deps = await createTestDeps({
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: standin.url,
    OPENAI_API_KEY: 'sk-test',
    LLM_MODEL: 'standin-model',
    EMBEDDING_PROVIDER: 'hashing',
  });
  gw = await startGateway(deps);
  user = await signUpUser(deps);
  wiki = (
    await ingestFile(deps, {
      userId: user.userId,
      filename: 'docling-wiki.md',
      source: readFileSync(join(CORPUS, 'md/docling-wiki.md')),
    })
  ).fileId;
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
  await standin?.close();
});
beforeEach(() => {
  standin.requests.length = 0;
});

async function lastMessage(conversationId: string) {
  const detail = await (
    await callerFor(deps, user.token)
  ).conversations.get({ conversation_id: conversationId });
  return detail.data.messages.at(-1);
}

describe('answers from an OpenAI-compatible model', () => {
  it('uses the configured adapter', () => {
    expect(deps.llm.name).toBe('openai:standin-model');
  });

  it("streams the model's tokens as content events, with generated related questions", async () => {
    standin.respond((req) =>
      req.stream
        ? { kind: 'stream', pieces: ['IBM was founded ', 'in 1911 ', '(file docling-wiki.md).'] }
        : {
            kind: 'text',
            content: '1. Who founded IBM?\n2. What did CTR make?\n3. When was it renamed?',
          },
    );
    const r = await ask(
      gw.url,
      { question: 'When was IBM founded?', file_id: [wiki] },
      { token: user.token },
    );
    expect(r.byName('content').map((c) => c.content)).toEqual([
      'IBM was founded ',
      'in 1911 ',
      '(file docling-wiki.md).',
    ]);
    expect(r.byName('end')[0]?.related_questions).toEqual([
      'Who founded IBM?',
      'What did CTR make?',
      'When was it renamed?',
    ]);
    const prompt = standin.requests.find((q) => q.stream)?.messages.at(-1)?.content ?? '';
    expect(prompt).toContain('Citation: (file docling-wiki.md)');
    expect(prompt).toContain('IBM was founded in 1911');
  });

  it('retries a 429 that comes before the first token', async () => {
    let streams = 0;
    standin.respond((req) => {
      if (!req.stream) return { kind: 'text', content: '1. A?\n2. B?\n3. C?' };
      streams++;
      return streams === 1
        ? {
            kind: 'status',
            status: 429,
            message: 'Rate limit reached',
            headers: { 'retry-after-ms': '20' },
          }
        : { kind: 'stream', pieces: ['Armonk, ', 'New York.'] };
    });
    const r = await ask(
      gw.url,
      { question: 'Where is IBM headquartered?', file_id: [wiki] },
      { token: user.token },
    );
    expect(r.answer).toBe('Armonk, New York.');
    expect(r.events.at(-1)?.event).toBe('end');
    expect(streams).toBe(2);
  });

  it('turns a provider failure mid-stream into one error event and keeps the partial answer as failed', async () => {
    standin.respond(() => ({ kind: 'stream', pieces: ['IBM ', 'was ', 'founded'], failAfter: 2 }));
    const r = await ask(
      gw.url,
      { question: 'When was IBM founded?', file_id: [wiki] },
      { token: user.token },
    );
    expect(r.status).toBe(200);
    expect(r.events.map((e) => e.event)).toEqual([
      'start',
      'sources',
      'content',
      'content',
      'error',
    ]);
    const start = r.byName('start')[0] as { question_id: string; conversation_id: string };
    expect(r.byName('error')[0]).toEqual({
      error: true,
      message: 'Dịch vụ mô hình ngôn ngữ gặp lỗi khi tạo câu trả lời.',
      question_id: start.question_id,
      conversation_id: start.conversation_id,
    });
    expect(standin.requests.filter((q) => q.stream)).toHaveLength(1);
    const saved = await lastMessage(start.conversation_id);
    expect(saved).toMatchObject({
      role: 'assistant',
      content: 'IBM was ',
      question_id: start.question_id,
    });
    expect(saved?.metadata?.status).toBe('failed');
  });

  it('cancels the model call when the client disconnects and saves the partial answer as interrupted', async () => {
    standin.respond((req) =>
      req.stream
        ? { kind: 'stream', pieces: Array.from({ length: 200 }, (_, i) => `w${i} `), holdAfter: 3 }
        : { kind: 'text', content: 'IBM' },
    );
    const aborted = standin.abortedStreams;
    const client = new AbortController();
    const res = await postAsk(
      gw.url,
      { question: 'When was IBM founded?', file_id: [wiki] },
      { token: user.token, signal: client.signal },
    );
    let conversationId = '';
    let received = '';
    let pieces = 0;
    try {
      for await (const e of readSse(res.body as ReadableStream<Uint8Array>)) {
        if (e.event === 'start') conversationId = String(e.data.conversation_id);
        if (e.event === 'content') {
          received += String(e.data.content);
          // The model holds after three pieces; leave once the answer has begun.
          if (++pieces === 1) client.abort();
        }
      }
    } catch {
      // the aborted fetch ends the body with an AbortError
    }
    await expect.poll(() => standin.abortedStreams).toBeGreaterThan(aborted);
    await expect.poll(async () => (await lastMessage(conversationId))?.role).toBe('assistant');
    const saved = await lastMessage(conversationId);
    expect(saved?.interrupted).toBe(true);
    expect(saved?.content.startsWith(received)).toBe(true);
    expect(saved?.content.split(' ').length).toBeLessThan(200);
  });

  it('the typed client never asks twice when the network drops mid-answer', async () => {
    standin.respond((req) =>
      req.stream
        ? { kind: 'stream', pieces: Array.from({ length: 200 }, (_, i) => `w${i} `), holdAfter: 3 }
        : { kind: 'text', content: '1. A?\n2. B?\n3. C?' },
    );
    const proxy = await startTcpProxy(Number(new URL(gw.url).port));
    // Every EventSource the client opens, so the test can see it closed rather than wait out a retry.
    const opened: EventSource[] = [];
    const client = createRagClient({
      url: `${proxy.url}/trpc`,
      getToken: () => user.token,
      EventSource: class extends EventSource {
        constructor(...args: ConstructorParameters<typeof EventSource>) {
          super(...args);
          opened.push(this);
        }
      },
    });
    // A conversation of its own, so that its messages are exactly this exchange.
    const conversationId = (await (await callerFor(deps, user.token)).conversations.create())
      .conversation_id;
    let pieces = 0;
    const failure = await new Promise<Error>((resolve, reject) => {
      const sub = client.ask.stream.subscribe(
        { question: 'When was IBM founded?', file_id: [wiki], conversation_id: conversationId },
        {
          onData: (e) => {
            if (e.event === 'content' && ++pieces === 3) proxy.cut();
            if (e.event === 'end') reject(new Error('the stream should not have finished'));
          },
          onError: (err) => {
            sub.unsubscribe();
            resolve(err);
          },
        },
      );
    });
    expect(failure.message).toBe(ASK_CONNECTION_LOST);
    // The server saw the drop: the partial answer is saved as interrupted, and nothing asks again
    // (an EventSource reconnects within a few seconds).
    await expect.poll(async () => (await lastMessage(conversationId))?.interrupted).toBe(true);
    // One EventSource, and it is closed: a closed EventSource never reconnects, so no second question.
    expect(opened).toHaveLength(1);
    expect(opened[0]!.readyState).toBe(EventSource.CLOSED);
    expect(standin.requests.filter((q) => q.stream)).toHaveLength(1);
    expect(proxy.connections).toBe(1);
    const detail = await (
      await callerFor(deps, user.token)
    ).conversations.get({ conversation_id: conversationId });
    expect(detail.data.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    await proxy.close();
  });

  it('rewrites a follow-up with one small call before retrieval', async () => {
    standin.respond((req) => {
      if (req.stream) return { kind: 'stream', pieces: ['ok'] };
      const system = req.messages[0]?.content ?? '';
      return system.startsWith('Rewrite')
        ? { kind: 'text', content: 'Where is IBM headquartered?' }
        : { kind: 'text', content: '1. A?\n2. B?\n3. C?' };
    });
    const { conversation_id } = await (await callerFor(deps, user.token)).conversations.create();
    await ask(
      gw.url,
      { question: 'When was IBM founded?', file_id: [wiki], conversation_id },
      { token: user.token },
    );
    expect(standin.requests.some((q) => q.messages[0]?.content.startsWith('Rewrite'))).toBe(false);
    const follow = await ask(
      gw.url,
      { question: 'Where is its headquarters?', file_id: [wiki], conversation_id },
      { token: user.token },
    );
    const rewrite = standin.requests.find((q) => q.messages[0]?.content.startsWith('Rewrite'));
    expect(rewrite?.messages.at(-1)?.content).toContain('User: When was IBM founded?');
    const sources = (follow.byName('sources')[0] as { sources: { content_snippet: string }[] })
      .sources;
    expect(sources[0]?.content_snippet).toContain('Armonk');
    const answerPrompt = standin.requests.filter((q) => q.stream).at(-1)?.messages ?? [];
    expect(answerPrompt.some((m) => m.role === 'assistant')).toBe(true);
  });
});
