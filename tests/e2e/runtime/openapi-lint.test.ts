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

type Doc = {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
};

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

  it('keeps the token across reloads: persistAuthorization reaches Swagger UI', async () => {
    const init = await (await fetch(`${gw.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/"persistAuthorization":\s*true/);
    expect(init).toContain('/openapi.json');
  });
});
