import { beforeAll, describe, expect, it } from 'vitest';

import { MSG_NUL_CHARACTER } from '@rag/core/testing';

import { DetailBody, StatusErrorBody, ValidationBody } from '../../support/bodies';
import type { TestUser } from '../../support/users';
import { useTestApp } from '../../support/test-app';

const app = useTestApp({ env: { MAX_BODY_KB: '64' } });
let alice: TestUser;

beforeAll(async () => {
  alice = await app.signUp();
});

const api = (path: string) => `${app.url}${app.deps.env.API_PREFIX}${path}`;

async function send(
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${alice.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body,
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, json: type.includes('json') ? JSON.parse(text) : text };
}

async function expectHealthy() {
  expect((await fetch(`${app.url}/health`)).status).toBe(200);
}

describe('U+0000 in any string input → 422 (item 10)', () => {
  it.each([
    ['GET', '/conversations/%00', undefined],
    ['DELETE', '/files/a%00b', undefined],
    [
      'POST',
      '/auth/signup',
      JSON.stringify({ email: 'x\u0000@example.com', password: 'Aa1-aaaaaaaa' }),
    ],
    ['POST', '/auth/login', JSON.stringify({ email: 'a@example.com', password: 'p\u0000' })],
    ['POST', '/ask/stream', JSON.stringify({ question: 'hello\u0000world' })],
    [
      'POST',
      '/collections/delete-by-filter',
      JSON.stringify({ filter: { must: [{ key: 'source', match: { value: 'a\u0000' } }] } }),
    ],
  ])('%s %s', async (method, path, body) => {
    const res = await send(method, api(path), body);
    expect(res.status).toBe(422);
    const { detail } = ValidationBody.parse(res.json);
    expect(detail).toHaveLength(1);
    expect(detail[0]?.msg).toContain('U+0000');
  });

  it('a NUL in a query string or object key is refused too', async () => {
    expect((await send('GET', api('/files?x=%00'))).status).toBe(422);
    const res = await send(
      'POST',
      api('/ask/stream'),
      JSON.stringify({ question: 'q', 'k\u0000': 1 }),
    );
    expect(res.status).toBe(422);
  });

  it('an upload field or filename: the same FastAPI list as the JSON routes', async () => {
    const upload = async (body: FormData | string) => {
      const res = await fetch(api('/upload'), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${alice.token}`,
          ...(typeof body === 'string'
            ? { 'content-type': 'multipart/form-data; boundary=zz' }
            : {}),
        },
        body,
      });
      return { status: res.status, json: (await res.json()) as unknown };
    };
    const msg = `Value error, ${MSG_NUL_CHARACTER}`;
    const login = JSON.stringify({ email: 'a@b.co', password: 'p\u0000' });
    expect((await send('POST', api('/auth/login'), login)).json).toEqual({
      detail: [{ loc: ['body', 'password'], msg, type: 'value_error', input: 'p\u0000' }],
    });
    const form = new FormData();
    form.append('file', new File(['abc\n'], 'n.txt', { type: 'text/plain' }));
    form.append('category', 'a\u0000b');
    const field = await upload(form);
    expect(field.status).toBe(422);
    expect(field.json).toEqual({
      detail: [{ loc: ['body', 'category'], msg, type: 'value_error', input: 'a\u0000b' }],
    });
    // A part header cannot hold a raw NUL (a malformed header, 400); RFC 5987's `filename*` can.
    const named = await upload(
      '--zz\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8\'\'a%00b.txt\r\n' +
        'Content-Type: text/plain\r\n\r\nabc\r\n--zz--\r\n',
    );
    expect(named.status).toBe(422);
    expect(named.json).toEqual({
      detail: [{ loc: ['body', 'file'], msg, type: 'value_error', input: 'a\u0000b.txt' }],
    });
    // Nothing was stored.
    expect((await send('GET', api('/files'))).json).toMatchObject({ files: [] });
  });

  it('tRPC procedures refuse it with a validation error (422)', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { cursor: 'x\u0000' } }));
    const get = await send('GET', `${app.url}/trpc/conversations.list?input=${input}`);
    expect(get.status).toBe(422);
    const post = await send(
      'POST',
      `${app.url}/trpc/auth.signIn`,
      JSON.stringify({ json: { email: 'a\u0000@example.com', password: 'x' } }),
    );
    expect(post.status).toBe(422);
    // The router's ordinary validation failure: its message, the issue in `issues` (no JSON dump).
    expect(post.json).toMatchObject({
      error: {
        json: {
          message: 'Dữ liệu không hợp lệ',
          data: {
            code: 'UNPROCESSABLE_CONTENT',
            httpStatus: 422,
            appCode: null,
            issues: [{ path: ['email'], message: MSG_NUL_CHARACTER, code: 'custom' }],
          },
        },
      },
    });
    await expectHealthy();
  });
});

describe('invalid percent-encoding in a path parameter → 400 (item 11)', () => {
  it.each([
    ['DELETE', '/files/%ff%fe'],
    ['GET', '/conversations/%E0%A4%A'],
    ['DELETE', '/conversations/%ff'],
  ])('%s %s', async (method, path) => {
    const res = await send(method, api(path));
    expect(res.status).toBe(400);
    expect(DetailBody.parse(res.json).detail).toContain('%');
  });
});

describe('every error is the JSON contract body; JSON depth is limited (item 12)', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  it('JSON nested 10,000 deep is a JSON 422, over REST and tRPC', async () => {
    const rest = await send('POST', api('/ask/stream'), `{"question":${deep(10_000)}}`);
    expect(rest.status).toBe(422);
    expect(rest.type).toMatch(/application\/json/);
    expect(rest.json).toMatchObject({ detail: [{ type: 'json_too_deep' }] });
    const trpc = await send('POST', `${app.url}/trpc/auth.signIn`, `{"json":${deep(10_000)}}`);
    expect(trpc.status).toBe(422);
    expect(trpc.type).toMatch(/application\/json/);
    await expectHealthy();
  });

  it('ordinary nesting still works', async () => {
    const res = await send('POST', api('/ask/stream'), `{"question":"x","extra":${deep(20)}}`);
    expect(res.status).not.toBe(500);
    expect(res.type).toMatch(/json|event-stream/);
  });

  it('malformed JSON and wrong content are JSON errors with no stack or path', async () => {
    for (const body of ['{"a":', '\u0000', '{"question": "x"}}']) {
      const res = await send('POST', api('/ask/stream'), body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.type).toMatch(/application\/json/);
      expect(JSON.stringify(res.json)).not.toMatch(/node_modules|\/work\/|at .*\(/);
    }
  });
});

describe('delete-by-filter page outside 32 bits → 400 (item 14)', () => {
  it.each([2 ** 31, 1e308, -1, 1.5, '99999999999'])('page %s', async (page) => {
    const body = JSON.stringify({ filter: { must: [{ key: 'page', match: { value: page } }] } });
    const res = await send('POST', api('/collections/delete-by-filter'), body);
    expect(res.status).toBe(400);
    expect(StatusErrorBody.parse(res.json).message).toContain('page');
  });

  it('a page in range still works', async () => {
    const body = JSON.stringify({ filter: { must: [{ key: 'page', match: { any: [1, '2'] } }] } });
    expect((await send('POST', api('/collections/delete-by-filter'), body)).status).toBe(200);
  });
});

describe('one body limit for REST JSON and tRPC (item 16)', () => {
  const big = JSON.stringify({
    json: { email: 'a@example.com', password: 'x'.repeat(200 * 1024) },
  });
  it('tRPC refuses a JSON body over MAX_BODY_KB with 413, without login', async () => {
    const res = await fetch(`${app.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(DetailBody.safeParse(await res.json()).success).toBe(true);
  });

  it('also when the client claims another content type', async () => {
    const res = await fetch(`${app.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: big,
    });
    expect(res.status).toBe(413);
  });

  it('REST answers the same 413', async () => {
    const res = await send('POST', api('/auth/login'), big);
    expect(res.status).toBe(413);
  });

  it('tRPC within the limit still works', async () => {
    const res = await fetch(`${app.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: alice.email, password: alice.password } }),
    });
    expect(res.status).toBe(200);
  });
});
