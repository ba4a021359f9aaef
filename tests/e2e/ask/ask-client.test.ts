import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  createRagClient,
  isAppError,
  type RagClient,
  type RouterInputs,
  type RouterOutputs,
} from '@rag/client';

import { ingestFile } from '../../../packages/core/src/domain/files/ingest-file';
import { ask } from '../../support/sse-client';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

type AskEvent = RouterOutputs['ask']['stream'] extends AsyncIterable<infer E> ? E : never;

const app = useTestApp();
let user: TestUser;
let other: TestUser;
let client: RagClient;
let vars: string;

beforeAll(async () => {
  user = await app.signUp();
  other = await app.signUp();
  vars = (
    await ingestFile(app.deps, {
      userId: user.userId,
      filename: 'javascript-info-variables.md',
      source: readFileSync(join(CORPUS, 'md/javascript-info-variables.md')),
    })
  ).fileId;
  client = createRagClient({ url: `${app.url}/trpc`, getToken: () => user.token, EventSource });
});

/** Subscribes and resolves with every event once the server ends the stream. */
function subscribe(c: RagClient, input: RouterInputs['ask']['stream']): Promise<AskEvent[]> {
  return new Promise((resolve, reject) => {
    const events: AskEvent[] = [];
    const sub = c.ask.stream.subscribe(input, {
      onData: (e) => {
        events.push(e);
        if (e.event === 'end' || e.event === 'error') {
          sub.unsubscribe();
          resolve(events);
        }
      },
      onError: (err) => {
        sub.unsubscribe();
        reject(err);
      },
      onComplete: () => resolve(events),
    });
  });
}

describe('the typed client streams answers through the ask.stream subscription', () => {
  it('delivers the same events and the same answer as POST /ask/stream', async () => {
    const question = 'Để tạo biến trong JavaScript, sử dụng từ khóa nào?';
    const events = await subscribe(client, { question, file_id: [vars] });
    expect(events.map((e) => e.event).filter((e, i, a) => e !== a[i - 1])).toEqual([
      'start',
      'sources',
      'content',
      'end',
    ]);
    const answer = events.flatMap((e) => (e.event === 'content' ? [e.data.content] : [])).join('');
    expect(answer).toContain('`let`');

    const rest = await ask(app.url, { question, file_id: [vars] }, { token: user.token });
    expect(answer).toBe(rest.answer);
    const viaClient = events.find((e) => e.event === 'sources');
    const viaRest = rest.byName('sources')[0] as { sources: { content_snippet: string }[] };
    expect(
      viaClient?.event === 'sources' && viaClient.data.sources.map((s) => s.content_snippet),
    ).toEqual(viaRest.sources.map((s) => s.content_snippet));
    const end = events.at(-1);
    expect(end?.event === 'end' && end.data.related_questions).toHaveLength(3);
  });

  it('reports refusals as typed errors before any event', async () => {
    const stranger = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => other.token,
      EventSource,
    });
    const notFound = await subscribe(stranger, { question: 'Biến là gì?', file_id: [vars] }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(notFound, 'NOT_FOUND')).toBe(true);
    const noFile = await subscribe(stranger, { question: 'Biến là gì?' }).catch((e: unknown) => e);
    expect(isAppError(noFile, 'BAD_REQUEST')).toBe(true);
    const anonymous = createRagClient({ url: `${app.url}/trpc`, EventSource });
    const unauthorized = await subscribe(anonymous, {
      question: 'Biến là gì?',
      file_id: [vars],
    }).catch((e: unknown) => e);
    expect(isAppError(unauthorized, 'UNAUTHORIZED')).toBe(true);
  });

  it('reads conversations and suggestions through the same client', async () => {
    const latest = await client.conversations.latest.query();
    expect(latest.found).toBe(true);
    const listed = await client.conversations.list.query({ page: 1, page_size: 5 });
    expect(listed.data.length).toBeGreaterThan(0);
    const suggestions = await client.suggestions.list.query({ num_suggestions: 2 });
    expect(suggestions.suggestions).toHaveLength(2);
  });
});
