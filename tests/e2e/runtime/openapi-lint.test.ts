import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deps } from '@rag/core';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';

const REDOCLY = resolve(import.meta.dirname, '../../node_modules/.bin/redocly');
const CONFIG = resolve(import.meta.dirname, '../../../services/gateway/redocly.yaml');
const dir = mkdtempSync(join(tmpdir(), 'rag-openapi-'));
let deps: Deps;
let gw: RunningGateway;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
});

afterAll(async () => {
  await gw.close();
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
});

type Media = { example?: Record<string, unknown>; schema?: { properties?: Record<string, Json> } };
type Json = Record<string, unknown>;
type Operation = {
  operationId?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, Media> };
};
type Doc = { servers?: { url: string }[]; paths: Record<string, Record<string, Operation>> };

/** Values Swagger UI invents when a schema has no example; none may reach "Try it out". */
function placeholders(value: unknown, at = ''): string[] {
  if (value === 'string' || value === Number.MIN_SAFE_INTEGER || value === Number.MAX_SAFE_INTEGER)
    return [`${at}: ${String(value)}`];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => placeholders(v, `${at}/${k}`));
  return [];
}

describe('OpenAPI document', () => {
  it('passes `redocly lint` with no errors and no warnings', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await (await fetch(`${gw.url}/openapi.json`)).text());
    const run = await promisify(execFile)(
      REDOCLY,
      ['lint', file, `--config=${CONFIG}`, '--format=json'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { stdout: string }) => err);
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('gives every operation a unique operationId and marks public routes `security: []`', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as Doc;
    expect(doc.servers?.length).toBeGreaterThan(0);
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/api/auth/login']?.post?.security).toEqual([]);
  });

  it('has no safe-integer bounds anywhere (they become Swagger sample values)', async () => {
    const text = await (await fetch(`${gw.url}/openapi.json`)).text();
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });

  it('gives every request body an example that works as-is in "Try it out"', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as Doc;
    const bodies = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({
          path,
          method,
          type,
          media,
          id: op.operationId,
        })),
      ),
    );
    expect(bodies.length).toBeGreaterThan(8);
    for (const b of bodies) {
      // Form fields are filled one by one from their properties' examples.
      if (b.type === 'multipart/form-data') {
        const fields = Object.entries(b.media.schema?.properties ?? {});
        b.media.example = Object.fromEntries(
          fields.filter(([, p]) => p.format !== 'binary').map(([name, p]) => [name, p.example]),
        );
      }
      expect(b.media.example, `${b.id} has an example`).toBeTypeOf('object');
      for (const [name, value] of Object.entries(b.media.example!))
        expect(value, `${b.id} ${name}`).toBeDefined();
      expect(placeholders(b.media.example, b.id)).toEqual([]);
    }

    // Sent exactly as the page would (sign-up first, then its token), no example is refused as invalid.
    const send = (b: (typeof bodies)[number], token?: string) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      let body: BodyInit;
      if (b.type === 'multipart/form-data') {
        const form = new FormData();
        for (const [k, v] of Object.entries(b.media.example!)) form.append(k, String(v));
        form.append('file', new Blob(['Hạn thanh toán là 30 ngày.']), 'hop-dong.txt');
        body = form;
      } else {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(b.media.example);
      }
      const path = b.path.replace(/\{[^}]+\}/g, 'khong-ton-tai');
      return fetch(`${gw.url}${path}`, { method: b.method.toUpperCase(), headers, body });
    };
    const signup = bodies.find((b) => b.id === 'postApiAuthSignup')!;
    expect((await send(signup)).status).toBe(200);
    const login = await send(bodies.find((b) => b.id === 'postApiAuthLogin')!);
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    const statuses: Record<string, number> = {};
    for (const b of bodies) {
      if (b === signup) continue;
      const res = await send(b, token);
      await res.body?.cancel();
      statuses[b.id!] = res.status;
    }
    // Google sign-in is not configured here: its 503 says so (its example is still valid input).
    const refused = Object.entries(statuses).filter(
      ([id, s]) => s === 422 || (s >= 500 && !(id === 'postApiAuthGoogle' && s === 503)),
    );
    expect(refused).toEqual([]);
    // The ones whose example needs nothing else succeed outright.
    expect(statuses).toMatchObject({
      postApiUpload: 200,
      postApiCollectionsDeleteByFilter: 200,
      postApiV1ChatHistory: 201,
      postApiAskStream: 400, // the documented "choose a file_id" answer, listing the files
    });
  });

  it('keeps the token across reloads: persistAuthorization reaches Swagger UI', async () => {
    const init = await (await fetch(`${gw.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/"persistAuthorization":\s*true/);
    expect(init).toContain('/openapi.json');
  });
});
