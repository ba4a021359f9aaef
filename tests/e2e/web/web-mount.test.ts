import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Deps } from '@rag/core';
import { WEB_APP_MISSING } from '../../../services/gateway/src/web-app';

import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';

let dir: string;
let deps: Deps;
let gw: RunningGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rag-web-none-'));
  deps = await createTestDeps({ WEB_APP_DIR: dir });
  gw = await startGateway(deps);
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('without a build, /app and its routes say how to build the app; the API is untouched', async () => {
  for (const path of ['/app', '/app/', '/app/c/x', '/app/assets/index.js']) {
    const res = await fetch(`${gw.url}${path}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: WEB_APP_MISSING });
  }
  const root = await fetch(`${gw.url}/api/`);
  expect(root.status).toBe(200);
});
