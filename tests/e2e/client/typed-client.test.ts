import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { EventSource } from 'eventsource';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { createRagClient, isAppError, type RouterOutputs } from '@rag/client';

import { strongPassword } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const CORPUS = resolve(import.meta.dirname, '../../../../shared/corpus');

const app = useTestApp();

/** A fetch that counts HTTP requests, to prove batching. */
function countingFetch() {
  const calls: string[] = [];
  const f: typeof fetch = (input, init) => {
    calls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(input, init);
  };
  return { calls, fetch: f };
}

describe('@rag/client against the real gateway', () => {
  it('signs up, then reads the caller through batched queries', async () => {
    const anon = createRagClient({ url: `${app.url}/trpc` });
    const email = `client-${Date.now()}@example.com`;
    const auth = await anon.auth.signUp.mutate({ email, password: strongPassword() });
    expect(auth.user.email).toBe(email);
    expectTypeOf(auth.access_token).toEqualTypeOf<string>();

    const counter = countingFetch();
    const client = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => auth.access_token,
      fetch: counter.fetch,
    });
    const [me, files, conversations] = await Promise.all([
      client.auth.me.query(),
      client.files.list.query(),
      client.conversations.list.query({ page: 1, page_size: 10 }),
    ]);
    expect(me.email).toBe(email);
    expect(files.total_files).toBe(0);
    expect(conversations.status).toBe('success');
    expect(counter.calls).toHaveLength(1);
    expect(counter.calls[0]).toContain('auth.me,files.list,conversations.list');
    expectTypeOf(me).toEqualTypeOf<RouterOutputs['auth']['me']>();
  });

  it('reports domain errors with their code', async () => {
    const client = createRagClient({ url: `${app.url}/trpc`, getToken: () => 'not-a-token' });
    const err = await client.auth.me.query().catch((e: unknown) => e);
    expect(isAppError(err, 'UNAUTHORIZED')).toBe(true);
  });

  it('uploads with FormData and streams an answer through the subscription', async () => {
    const anon = createRagClient({ url: `${app.url}/trpc` });
    const auth = await anon.auth.signUp.mutate({
      email: `stream-${Date.now()}@example.com`,
      password: strongPassword(),
    });
    const client = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => auth.access_token,
      EventSource,
    });

    const form = new FormData();
    const bytes = readFileSync(resolve(CORPUS, 'pdf/issue13201.pdf'));
    form.append('file', new File([bytes], 'bitcoin.pdf', { type: 'application/pdf' }));
    form.append('category', 'papers');
    const uploaded = await client.files.upload.mutate(form);
    expect(uploaded.status).toBe('success');
    expect(uploaded.chunks_count).toBeGreaterThan(0);

    const events = await new Promise<{ event: string; data: Record<string, unknown> }[]>(
      (done, fail) => {
        const seen: { event: string; data: Record<string, unknown> }[] = [];
        const sub = client.ask.stream.subscribe(
          {
            question: 'What is proposed as a solution to the double-spending problem?',
            file_id: [uploaded.file_id],
          },
          {
            onData: (item) => {
              const e = item as { event: string; data: Record<string, unknown> };
              seen.push(e);
              if (e.event === 'end' || e.event === 'error') {
                sub.unsubscribe();
                done(seen);
              }
            },
            onError: fail,
          },
        );
      },
    );
    expect(events.map((e) => e.event)[0]).toBe('start');
    expect(events.map((e) => e.event)).toContain('sources');
    expect(events.at(-1)?.event).toBe('end');
    const answer = events
      .filter((e) => e.event === 'content')
      .map((e) => String(e.data.content))
      .join('');
    expect(answer.toLowerCase()).toMatch(/peer-to-peer|double-spending|timestamp/);
    expect(answer).toContain('bitcoin.pdf');
  });

  it('authenticates subscriptions through connection params when EventSource cannot send headers', async () => {
    const anon = createRagClient({ url: `${app.url}/trpc` });
    const auth = await anon.auth.signUp.mutate({
      email: `browser-${Date.now()}@example.com`,
      password: strongPassword(),
    });
    // Like a browser's EventSource: ignores any custom fetch, so no Authorization header is sent.
    class HeaderlessEventSource extends EventSource {
      constructor(url: string | URL) {
        super(url);
      }
    }
    const client = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => auth.access_token,
      EventSource: HeaderlessEventSource,
    });
    const first = await new Promise<{ event: string; data: Record<string, unknown> }>(
      (done, fail) => {
        const sub = client.ask.stream.subscribe(
          { question: 'anything?' },
          {
            onData: (item) => {
              sub.unsubscribe();
              done(item);
            },
            onError: (err) => {
              sub.unsubscribe();
              // No file uploaded: the documented 400 (not a 401) proves the token was accepted.
              if (isAppError(err, 'BAD_REQUEST')) done({ event: 'rejected', data: {} });
              else fail(err);
            },
          },
        );
      },
    );
    expect(first.event).toBe('rejected');
  });
});
