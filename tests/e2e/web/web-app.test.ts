import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createRagClient } from '@rag/client';
import { createExtractiveLlm, type Deps } from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';
import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { strongPassword } from '../../support/users';
import { builtWebApp, launchChromium, SCREENSHOTS } from './browser';
import { gatedLlm } from './gated-llm';

const PDF = 'pdf/an_le_so_432021AL.pdf';
const DOCX = 'docx/word_sample.docx';
const CORRUPT = 'docx/truncated62886.docx';
const QUESTION = 'Bà L mua hai căn nhà đang thế chấp với giá bao nhiêu?';
const SECOND = 'Tòa án giải quyết tranh chấp về hợp đồng thế chấp nhà như thế nào?';

const gate = gatedLlm(createExtractiveLlm());
let outDir: string;
let deps: Deps;
let gw: RunningGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
/**
 * The browser logs every 4xx response as a console error: the ones a step provokes on purpose (the
 * refused upload's 400, the revoked session's 401s) are expected while that step runs, no others.
 */
let expectedStatus: number | null = null;
/** The page's API requests still waiting for an answer (a step that ends the session waits for none). */
const pendingApi = new Set<unknown>();
const email = `web-${Date.now().toString(36)}@example.com`;
const password = strongPassword();

const lastAnswer = () => page.locator('li.turn.assistant').last();

/** The stored session of the page (what a reload starts from). */
async function storedSession() {
  const stored: unknown = JSON.parse(
    (await page.evaluate(() => localStorage.getItem('rag.session'))) ?? 'null',
  );
  return StoredSession.parse(stored);
}
const StoredSession = z.looseObject({ accessToken: z.string() }).nullable();

beforeAll(async () => {
  outDir = builtWebApp();
  deps = await createTestDeps({ WEB_APP_DIR: outDir }, { llm: gate.llm });
  gw = await startGateway(deps);
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (expectedStatus && m.text().includes(`status of ${expectedStatus}`)) return;
    consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.status() !== expectedStatus)
      consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (r.url().startsWith(`${gw.url}/trpc`)) pendingApi.add(r);
  });
  page.on('requestfinished', (r) => pendingApi.delete(r));
  page.on('requestfailed', (r) => pendingApi.delete(r));
  page.on('request', (r) => {
    const url = r.url();
    // blob: URLs of the app's own origin carry a downloaded original file.
    if (!url.startsWith(gw.url) && !url.startsWith('data:') && !url.startsWith(`blob:${gw.url}`))
      foreignRequests.push(url);
  });
  // Every layout shift not caused by input, for the streaming check.
  await context.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[])
        if (!e.hadRecentInput) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await deps?.close();
});

describe('web app in Chromium against the gateway', () => {
  it('is served at /app (client routes fall back to index.html), the API root keeps its welcome JSON', async () => {
    const root = await fetch(`${gw.url}/api/`);
    expect(((await root.json()) as { message: string }).message).toMatch(/Chào mừng/);
    const route = await fetch(`${gw.url}/app/c/some-conversation`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="root">');
    expect((await fetch(`${gw.url}/app/assets/missing.js`)).status).toBe(404);
  });

  it('signs up and lands in the chat', async () => {
    await page.goto(`${gw.url}/app/`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${gw.url}/app/?$`));
    await page.getByText('Upload a document first').waitFor();
  });

  it('uploads a PDF and a DOCX at once with per-file stages, and refuses a broken file clearly', async () => {
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByLabel('Category (optional)').fill('tests');
    await page.getByLabel('choose files').setInputFiles([corpusPath(PDF), corpusPath(DOCX)]);
    const rows = page.locator('.upload-row');
    await rows
      .filter({ hasText: 'an_le_so_432021AL.pdf' })
      .getByText(/Ready · \d+ passages/)
      .waitFor();
    await rows
      .filter({ hasText: 'word_sample.docx' })
      .getByText(/Ready · \d+ passages/)
      .waitFor();

    const table = page.locator('table.files');
    for (const name of ['an_le_so_432021AL.pdf', 'word_sample.docx']) {
      const row = table.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) });
      await row.waitFor();
      const cells = await row.locator('td').allTextContents();
      expect(cells[2]).toBe('tests');
      expect(Number(cells[3])).toBeGreaterThan(0);
      expect(cells[0]).toMatch(/kB$/);
    }

    expectedStatus = 400;
    await page.getByLabel('choose files').setInputFiles(corpusPath(CORRUPT));
    const refused = rows.filter({ hasText: 'truncated62886.docx' });
    await refused.getByText('Refused').waitFor();
    expectedStatus = null;
    expect(await refused.getByRole('alert').textContent()).toMatch(/\S/);
    await page.screenshot({ path: join(SCREENSHOTS, 'documents-desktop.png'), fullPage: true });
  });

  it('answers with streamed text, cited sources with pages, and related questions', async () => {
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    await page.getByRole('heading', { name: 'Try asking' }).waitFor();
    await page.getByLabel('Ask a question').fill(QUESTION);
    await page.getByLabel('Ask a question').press('Enter');
    await lastAnswer().and(page.locator('[data-status="done"]')).waitFor();
    expect(await lastAnswer().locator('.text').textContent()).toContain('5.500.000.000 đồng');
    expect(page.url()).toMatch(/\/app\/c\/[\w-]+$/);

    const first = lastAnswer().locator('button.source').first();
    expect(await first.locator('.source-name').textContent()).toBe(
      'an_le_so_432021AL.pdf · page 3',
    );
    await first.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'an_le_so_432021AL.pdf · page 3' }).waitFor();
    // The whole page's text (files.page), with the cited chunk marked inside it.
    const pageText = dialog.getByLabel('Page text');
    await pageText.waitFor();
    const marked = (await pageText.locator('mark').textContent()) ?? '';
    expect(marked).toContain('5.500.000.000');
    expect(((await pageText.textContent()) ?? '').length).toBeGreaterThan(marked.length);
    // The original file, fetched with the bearer token and saved under its own name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('link', { name: 'Open original file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('an_le_so_432021AL.pdf');
    const saved = await download.createReadStream();
    const head: Buffer[] = [];
    for await (const piece of saved) head.push(piece as Buffer);
    expect(Buffer.concat(head).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    const related = lastAnswer()
      .getByRole('region', { name: 'Related questions' })
      .getByRole('button');
    expect(await related.count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'chat-desktop.png') });
  });

  it('shows an answer piece by piece without moving the page, and stops it mid-stream', async () => {
    gate.hold();
    await page.getByLabel('Ask a question').fill(SECOND);
    await page.getByRole('button', { name: 'Send' }).click();
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.waitFor();
    const text = lastAnswer().locator('.text');

    await gate.heldAfter(0);
    gate.release(1);
    await gate.heldAfter(1);
    await text.waitFor();
    const one = (await text.textContent()) ?? '';
    expect(one.length).toBeGreaterThan(0);
    await page.evaluate(() => (window.__shifts.length = 0));
    gate.release(2);
    await gate.heldAfter(3);
    await page.waitForFunction(
      ([sel, len]) =>
        (document.querySelectorAll(sel).item(document.querySelectorAll(sel).length - 1)?.textContent
          ?.length ?? 0) > len,
      ['li.turn.assistant .text', one.length] as const,
    );
    const shifts = await page.evaluate(() => window.__shifts);
    expect(shifts.reduce((a, b) => a + b, 0)).toBe(0);

    const partial = (await text.textContent()) ?? '';
    await stop.click();
    await lastAnswer().getByText('Stopped — the answer is incomplete.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    expect(await text.textContent()).toBe(partial);
  });

  it('finds the conversation after a reload, with the stopped answer kept as interrupted', async () => {
    const conversationId = page.url().split('/').at(-1)!;
    const token = (await storedSession())!.accessToken;
    const client = createRagClient({ url: `${gw.url}/trpc`, getToken: () => token });
    // The server saves the stopped answer when it sees the connection close: wait for that, not a clock.
    await expect
      .poll(
        async () => {
          const res = await client.conversations.get.mutate({ conversation_id: conversationId });
          return res.data.messages.at(-1)?.interrupted ?? false;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);

    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const link = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link');
    await link.first().waitFor();
    expect(await link.first().getAttribute('aria-current')).toBe('page');
    expect(await link.first().textContent()).toContain(QUESTION.slice(0, 20));
    await page.locator('li.turn.user', { hasText: QUESTION }).waitFor();
    await page.locator('li.turn.user', { hasText: SECOND }).waitFor();
    await lastAnswer().getByText('This answer was interrupted.').waitFor();
  });

  it('renames a conversation from the keyboard and keeps the new title after a reload', async () => {
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    const rename = nav.getByRole('button', { name: /^Rename: / }).first();
    await rename.focus();
    await page.keyboard.press('Enter');
    const input = nav.getByLabel('Conversation title');
    await input.waitFor();
    // Escape leaves the title as it was.
    await input.fill('Not kept');
    await input.press('Escape');
    await input.waitFor({ state: 'hidden' });
    expect(await nav.getByRole('link').first().textContent()).not.toBe('Not kept');

    await nav
      .getByRole('button', { name: /^Rename: / })
      .first()
      .click();
    await input.fill('  Mortgaged houses  ');
    await input.press('Enter');
    await nav.getByRole('link', { name: 'Mortgaged houses', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await nav.getByRole('link', { name: 'Mortgaged houses', exact: true }).waitFor();
    expect(await nav.getByRole('link').first().getAttribute('aria-current')).toBe('page');
  });

  it('fits a 375 px phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole('button', { name: 'Conversations' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'chat-phone.png') });
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await page.locator('table.files').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'documents-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('sends an expired session to log in and keeps what was typed', async () => {
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    const box = page.getByLabel('Ask a question');
    await box.fill('A question typed before the session ended');
    // The chat page's own reads (conversations, files, suggestions) must be answered first: one still in
    // flight when the session ends would send the page to log in before the click below.
    await expect.poll(() => pendingApi.size, { timeout: 60_000 }).toBe(0);
    // End the session on the server (as an expiry or a sign-out elsewhere would).
    const token = (await storedSession())!.accessToken;
    await createRagClient({ url: `${gw.url}/trpc`, getToken: () => token }).auth.signOut.mutate();

    expectedStatus = 401;
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await page.getByText('Your session has ended').waitFor();
    expectedStatus = null;
    expect(new URL(page.url()).searchParams.get('next')).toBe('/documents');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    expect(await page.getByLabel('Ask a question').inputValue()).toBe(
      'A question typed before the session ended',
    );
  });

  it('logs out, and a reload stays logged out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await storedSession()).toBeNull();
  });

  it('logged no console errors and loaded nothing from elsewhere', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
