import { mkdirSync } from 'node:fs';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Deps, DepsOverrides } from '@rag/core';

import { createTestDeps, type RunningGateway, type TestEnv } from '../../support/harness';
import { reserveGateway } from '../../support/test-app';
import { builtWebApp, launchChromium, SCREENSHOTS } from './browser';

export type WebFixture = AsyncDisposable & {
  deps: Deps;
  gw: RunningGateway;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and unexpected 4xx/5xx responses seen so far. */
  problems: string[];
  /** Requests that left the gateway's origin (and the allowed ones). */
  foreignRequests: string[];
  /** Runs `step` while responses with `status` are expected (a step that provokes them on purpose). */
  expecting<T>(status: number, step: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/**
 * The built app served by a real gateway, and a Chromium page on it that records console errors and
 * requests to other origins. `env` sees the gateway's URL before the deps exist (redirect origins, an
 * OIDC client's redirect URI).
 */
export async function openWebFixture(
  opts: {
    env?: (gatewayUrl: string) => TestEnv | Promise<TestEnv>;
    overrides?: DepsOverrides;
    /** Origins the page may visit besides the gateway (an identity provider), read after `env`. */
    allowedOrigins?: () => string[];
    viewport?: { width: number; height: number };
  } = {},
): Promise<WebFixture> {
  const reserved = await reserveGateway();
  const deps = await createTestDeps(
    { WEB_APP_DIR: builtWebApp(), ...(await opts.env?.(reserved.url)) },
    opts.overrides,
  );
  const gw = reserved.serve(deps);
  const browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: opts.viewport ?? { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  let expected: number | null = null;
  // Only the app is judged: pages of an allowed origin (the identity provider's) are not ours.
  const onApp = () => page.url().startsWith(gw.url);
  page.on('console', (m) => {
    if (m.type() !== 'error' || !onApp()) return;
    if (expected && m.text().includes(`status of ${expected}`)) return;
    problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.status() !== expected && onApp())
      problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  const allowed = [gw.url, `blob:${gw.url}`, 'data:', ...(opts.allowedOrigins?.() ?? [])];
  page.on('request', (r) => {
    if (onApp() && !allowed.some((a) => r.url().startsWith(a))) foreignRequests.push(r.url());
  });
  mkdirSync(SCREENSHOTS, { recursive: true });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await browser.close();
      await gw.close();
      await deps.close();
    })());
  return {
    deps,
    gw,
    browser,
    context,
    page,
    problems,
    foreignRequests,
    async expecting(status, step) {
      expected = status;
      try {
        return await step();
      } finally {
        expected = null;
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
