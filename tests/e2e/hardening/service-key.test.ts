import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDeps, serviceKeyNotice, type Deps } from '@rag/core';
import { createServiceClient, serviceKeyFor } from '@rag/email-sync';

import {
  createTestDeps,
  openTemplateDatabase,
  startGateway,
  type RunningGateway,
} from '../../support/harness';

let deps: Deps;
let gw: RunningGateway;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  deps = await createTestDeps({}, { log: pino({ level: 'info' }, sink) });
  gw = await startGateway(deps);
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
});

const keyFile = () => join(deps.dataDir, 'secrets', 'service-api-key');
const generatedKey = () => readFileSync(keyFile(), 'utf8').trim();
const personal = ['/api/v1/user-chat/', '/api/v1/user-chat/email/a%40b.co'];

describe('generated service key (issue 10 item 9)', () => {
  it('is created under DATA_DIR/secrets (0600) and announced once with how to use it', () => {
    expect(generatedKey()).toMatch(/^[\w-]{40,}$/);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    // Announced by the start-up screen after the URL lines (tests/e2e/runtime/first-screen.test.ts).
    expect(deps.serviceKey.created).toBe(true);
    expect(serviceKeyNotice(deps.serviceKey)).toContain(`Authorization: Bearer ${generatedKey()}`);
    expect(logLines.filter((l) => l.includes(generatedKey()))).toEqual([]);
  });

  it('is kept across restarts and not printed again', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const again = await createDeps(
      { ...deps.env },
      { database: await openTemplateDatabase(), log: pino({ level: 'info' }, sink) },
    );
    try {
      expect(again.serviceKey.key).toBe(generatedKey());
      expect(serviceKeyNotice(again.serviceKey)).toBeNull();
      expect(lines.join('')).not.toContain(generatedKey());
    } finally {
      await again.database.close();
    }
  });

  it('loopback without forwarding headers is served; behind a proxy the key is required', async () => {
    for (const path of personal) {
      expect((await fetch(`${gw.url}${path}`)).status, path).toBe(200);
      const proxied: Record<string, string>[] = [
        { 'x-forwarded-for': '203.0.113.9' },
        { forwarded: 'for=203.0.113.9' },
        { 'x-real-ip': '203.0.113.9' },
      ];
      for (const forwarding of proxied) {
        const refused = await fetch(`${gw.url}${path}`, { headers: forwarding });
        expect(refused.status, `${path} ${JSON.stringify(forwarding)}`).toBe(401);
        expect(await refused.json()).toEqual({ detail: 'Không tìm thấy thông tin xác thực' });
        const keyed = await fetch(`${gw.url}${path}`, {
          headers: { ...forwarding, authorization: `Bearer ${generatedKey()}` },
        });
        expect(keyed.status).toBe(200);
      }
    }
  });

  it('the same rule holds over tRPC', async () => {
    const url = `${gw.url}/trpc/userChat.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(401);
  });

  it('never sends CORS headers for the personal-data routes (REST and tRPC)', async () => {
    const origin = { origin: 'https://evil.example' };
    for (const path of [...personal, '/trpc/userChat.list']) {
      const res = await fetch(`${gw.url}${path}`, { headers: origin });
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      const preflight = await fetch(`${gw.url}${path}`, {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    // Other routes keep their CORS policy.
    const health = await fetch(`${gw.url}/health`, { headers: origin });
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('the bundled sync service and cron job find the generated key by themselves', async () => {
    const key = serviceKeyFor({ ...deps.env, SERVICE_API_KEY: undefined }, undefined);
    expect(key).toBe(generatedKey());
    expect(serviceKeyFor({ ...deps.env, SERVICE_API_KEY: 'explicit-key' }, undefined)).toBe(
      'explicit-key',
    );
    // What the sync service sends is accepted where loopback alone would not be.
    const client = createServiceClient({ gatewayUrl: gw.url, serviceKey: key });
    await expect(client.userChat.list.query({})).resolves.toBeDefined();
  });
});
