import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRagClient } from '@rag/client';

import { captureLog, useTestApp } from '../../support/test-app';
import type { TestUser } from '../../support/users';

// The request log must say which route was asked, never a bearer token, an OAuth code or a question.
const serverLog = captureLog('info');
const app = useTestApp({ overrides: { log: serverLog.log } });
let user: TestUser;

beforeAll(async () => {
  user = await app.signUp();
});

type LogLine = { msg?: string; req?: { url?: string }; res?: { statusCode?: number } };

/** Waits for the access-log line of the request whose URL starts with `prefix`, and returns it. */
async function accessLine(prefix: string): Promise<LogLine> {
  const find = () =>
    serverLog
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine)
      .find((l) => l.req?.url?.startsWith(prefix) && l.res?.statusCode !== undefined);
  await expect.poll(find).toBeDefined();
  return find()!;
}

function expectNotLogged(...secrets: string[]) {
  const text = serverLog.text();
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

describe('the request log redacts secrets in the URL (bearer tokens, questions, OAuth codes)', () => {
  it('a typed-client subscription: connectionParams (the bearer token) and input (the question)', async () => {
    const marker = 'secret-question-7f3a';
    const question = `Kết quả xét nghiệm của tôi có bình thường không? ${marker}`;
    const client = createRagClient({
      url: `${app.url}/trpc`,
      getToken: () => user.token,
      EventSource,
    });
    // The user has no file, so the stream ends at once (an error event or error); either way it was asked.
    await new Promise<void>((resolve) => {
      const sub = client.ask.stream.subscribe(
        { question },
        {
          onData: (e) => {
            if (e.event === 'end' || e.event === 'error') {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: () => {
            sub.unsubscribe();
            resolve();
          },
          onComplete: () => resolve(),
        },
      );
    });
    const line = await accessLine('/trpc/ask.stream?');
    expect(line.req?.url).toContain('connectionParams=[redacted]');
    expect(line.req?.url).toContain('input=[redacted]');
    expectNotLogged(user.token, marker, question);
  });

  it('the adversarial reproduction: files.progress with the token in connectionParams', async () => {
    const cp = encodeURIComponent(JSON.stringify({ authorization: `Bearer ${user.token}` }));
    const input = encodeURIComponent(
      JSON.stringify({ json: { job_id: '00000000-0000-0000-0000-000000000000' } }),
    );
    const abort = new AbortController();
    const res = await fetch(
      `${app.url}/trpc/files.progress?connectionParams=${cp}&input=${input}`,
      { signal: abort.signal },
    );
    expect(res.status).toBe(200);
    await res.body?.getReader().read();
    abort.abort();
    const line = await accessLine('/trpc/files.progress?');
    expect(line.req?.url).toBe('/trpc/files.progress?connectionParams=[redacted]&input=[redacted]');
    expectNotLogged(user.token, '00000000-0000-0000-0000-000000000000');
  });

  it('REST: the OAuth callback code/state and any token-like parameter; other parameters stay', async () => {
    const code = 'oauth-code-5b1e9d';
    const state = 'oauth-state-c04a77';
    const cb = await fetch(`${app.url}/api/auth/callback?code=${code}&state=${state}&provider=x`);
    expect(cb.status).toBeGreaterThanOrEqual(400);
    const cbLine = await accessLine('/api/auth/callback?');
    expect(cbLine.req?.url).toBe('/api/auth/callback?code=[redacted]&state=[redacted]&provider=x');

    const list = await fetch(
      `${app.url}/api/conversations?page=1&access_token=${user.token}&refreshToken=rt-91c2&password=pw-3d8f`,
      { headers: { authorization: `Bearer ${user.token}`, cookie: 'sid=cookie-6e0b' } },
    );
    expect(list.status).toBe(200);
    const listLine = await accessLine('/api/conversations?');
    expect(listLine.req?.url).toBe(
      '/api/conversations?page=1&access_token=[redacted]&refreshToken=[redacted]&password=[redacted]',
    );
    expectNotLogged(code, state, user.token, 'rt-91c2', 'pw-3d8f', 'cookie-6e0b');
  });

  it('malformed percent-encoding in the query: the request gets its normal answer, the log its line', async () => {
    const health = await fetch(`${app.url}/health?probe=%E0%A4%A&token=%ZZhealth-9a1f`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status?: unknown }).status).toBeDefined();
    const healthLine = await accessLine('/health?');
    expect(healthLine.req?.url).toBe('/health?probe=%EF%BF%BD%25A&token=[redacted]');

    const plain = await fetch(`${app.url}/api/conversations?page=1`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const odd = await fetch(`${app.url}/api/conversations?page=1&junk=%%%&input=%E0%A4%Aq-22c7`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(odd.status).toBe(plain.status);
    expect(await odd.json()).toEqual(await plain.json());
    await accessLine('/api/conversations?page=1&junk=');

    // tRPC answers malformed input with its own 400; the logger neither throws nor logs the input.
    const trpc = await fetch(`${app.url}/trpc/conversations.list?input=%7B%ZZ-trpc-51d0`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(trpc.status).toBe(400);
    await accessLine('/trpc/conversations.list?input=[redacted]');
    expectNotLogged('health-9a1f', 'q-22c7', 'trpc-51d0');
  });
});
