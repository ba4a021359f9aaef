import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';

let deps: Deps;
let gw: RunningGateway;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
});

afterAll(async () => {
  await gw.close();
  await deps.close();
});

const get = (path: string, init?: RequestInit) => fetch(`${gw.url}${path}`, init);

describe('root, docs and OpenAPI', () => {
  it('GET /api/ returns the documented welcome message (with and without the slash)', async () => {
    for (const path of ['/api/', '/api']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        message: 'Chào mừng đến với API của hệ thống RAG. Truy cập /docs để xem tài liệu API.',
      });
    }
  });

  it('serves interactive docs whose assets all come from this server', async () => {
    const res = await get('/docs/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('swagger-ui');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const r = await get(new URL(asset, `${gw.url}/docs/`).pathname);
      expect(r.status, asset).toBe(200);
    }
    const init = await (await get('/docs/swagger-ui-init.js')).text();
    expect(init).toContain('/openapi.json');
    expect(init).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
  });

  it('publishes an OpenAPI 3.1 document covering the contract routes', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const expected: [string, string][] = [
      ['get', '/api'],
      ['get', '/health'],
      ['post', '/api/auth/signup'],
      ['post', '/api/auth/login'],
      ['post', '/api/auth/logout'],
      ['post', '/api/auth/refresh'],
      ['get', '/api/auth/user'],
      ['get', '/api/auth/session'],
      ['post', '/api/auth/forgot-password'],
      ['post', '/api/auth/reset-password'],
      ['post', '/api/auth/google'],
      ['get', '/api/auth/google/url'],
      ['get', '/api/auth/callback'],
      ['post', '/api/upload'],
      ['get', '/api/files'],
      ['delete', '/api/files/{filename}'],
      ['delete', '/api/collection/reset'],
      ['post', '/api/collections/delete-by-filter'],
      ['post', '/api/ask/stream'],
      ['get', '/api/conversations'],
      ['get', '/api/conversations/{conversation_id}'],
      ['post', '/api/conversations/create'],
      ['delete', '/api/conversations/{conversation_id}'],
      ['get', '/api/suggestions'],
      ['get', '/api/latest-conversation'],
      ['post', '/api/v1/chat-history'],
      ['post', '/api/v1/chat-history/sync-email-to-user-chat'],
      ['post', '/api/v1/chat-history/check-and-sync-email'],
      ['post', '/api/v1/chat-history/sync-all-pending'],
      ['get', '/api/v1/user-chat'],
      ['get', '/api/v1/user-chat/user/{user_id}'],
      ['get', '/api/v1/user-chat/email/{email}'],
    ];
    const normalise = (p: string) => (p.length > 1 ? p.replace(/\/$/, '') : p);
    const paths = Object.fromEntries(
      Object.entries(doc.paths).map(([p, ops]) => [normalise(p), ops]),
    );
    const missing = expected
      .filter(([method, path]) => !paths[path]?.[method])
      .map(([m, p]) => `${m} ${p}`);
    expect(missing).toEqual([]);
  });
});

describe('errors per the contract', () => {
  it('unknown routes are 404 {"detail":"Not Found"}', async () => {
    for (const path of ['/nope', '/api/nope', '/api/v1/nope']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: 'Not Found' });
    }
  });

  it('malformed JSON is a FastAPI-style 422', async () => {
    const res = await get('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.c",',
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: unknown[]; type: string; msg: string }[] };
    expect(body.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 0] });
  });

  it('a body over the limit is 413 and the server keeps serving', async () => {
    const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(3 * 1024 * 1024) });
    const res = await get('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toHaveProperty('detail');
    expect((await get('/api/')).status).toBe(200);
  });

  it('401 carries WWW-Authenticate: Bearer and the documented message', async () => {
    const res = await get('/api/auth/user');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ detail: 'Không tìm thấy thông tin xác thực' });
    const bad = await get('/api/auth/user', { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ detail: 'Token không hợp lệ hoặc đã hết hạn' });
  });

  it('every response carries a request id, and an incoming one is kept', async () => {
    const res = await get('/api/', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const res2 = await get('/api/');
    expect(res2.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers CORS preflights for any origin by default', async () => {
    const res = await get('/api/files', {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('health', () => {
  it('probes the database, vector store and auth provider', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'healthy',
      services: {
        api: 'running',
        database: 'connected',
        vector_store: 'connected',
        auth: 'connected',
      },
    });
  });
});

describe('when the database goes down', () => {
  let downDeps: Deps;
  let downGw: RunningGateway;

  beforeAll(async () => {
    downDeps = await createTestDeps();
    downGw = await startGateway(downDeps);
    await downDeps.database.close();
  });
  afterAll(async () => {
    await downGw.close();
    await downDeps.close();
  });

  it('/health answers 503 unhealthy', async () => {
    const res = await fetch(`${downGw.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'unhealthy',
      services: { database: 'unavailable' },
    });
  });

  it('a 5xx body explains in words, carries the request id and leaks nothing', async () => {
    const res = await fetch(`${downGw.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-down-1' },
      body: JSON.stringify({ email: 'someone@example.com', password: 'Password1' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const text = await res.text();
    const body = JSON.parse(text) as { detail: string; request_id: string };
    expect(body.request_id).toBe('req-down-1');
    expect(typeof body.detail).toBe('string');
    expect(text).not.toMatch(/select|insert|\/tmp|node_modules|at \w+ \(|stack/i);
  });
});
