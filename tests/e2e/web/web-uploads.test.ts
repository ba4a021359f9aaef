import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { corpusPath } from '../../support/corpus';
import { signUpUser, type TestUser } from '../../support/users';
import { SCREENSHOTS } from './browser';
import { openWebFixture, type WebFixture } from './web-fixture';

/** Dropped together: a PDF, a DOCX and a Markdown file from the shared corpus. */
const DROPPED = [
  { path: 'pdf/french_diacritics.pdf', type: 'application/pdf' },
  {
    path: 'docx/an_le_so_262018AL.docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  { path: 'md/docling-wiki.md', type: 'text/markdown' },
];
const NAMES = DROPPED.map((f) => basename(f.path));
/** The rows' stages in the order an upload goes through them. */
const ORDER = ['Sending', 'Stored', 'Read', 'Split into passages', 'Indexing', 'Ready'];

let web: WebFixture;
let user: TestUser;

beforeAll(async () => {
  // The limit the three dropped files reach, so the page's usage line names it.
  web = await openWebFixture({ env: () => ({ USER_MAX_FILES: '3' }) });
  user = await signUpUser(web.deps);
  const { page } = web;
  await page.goto(`${web.gw.url}/app/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}, 120_000);
afterAll(async () => web?.close());

describe('uploads in Chromium', () => {
  it('takes several files dropped at once, each with its own stages, into the list', async () => {
    const { page } = web;
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByLabel('Category (optional)').fill('dropped');

    // Every stage each row shows, as the DOM changes (recorded in the page, no sampling clock).
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      window.__stages = seen;
      const record = () => {
        for (const row of document.querySelectorAll('.upload-row')) {
          const name = row.querySelector('.name')?.textContent ?? '';
          const stage = (row.querySelector('.stage')?.textContent ?? '').split(' · ')[0]!;
          const list = (seen[name] ??= []);
          if (list.at(-1) !== stage) list.push(stage);
        }
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });

    // A real drop: a DataTransfer built in the page from the files' bytes.
    const payload = DROPPED.map((f) => ({
      name: basename(f.path),
      type: f.type,
      b64: readFileSync(corpusPath(f.path)).toString('base64'),
    }));
    const dataTransfer = await page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return dt;
    }, payload);
    const zone = page.locator('.drop-zone');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    expect(await zone.getAttribute('class')).toContain('over');
    await zone.dispatchEvent('drop', { dataTransfer });
    expect(await zone.getAttribute('class')).not.toContain('over');

    const rows = page.locator('.upload-row');
    for (const name of NAMES)
      await rows
        .filter({ hasText: name })
        .getByText(/Ready · \d+ passages?$/)
        .waitFor();
    expect(await rows.count()).toBe(NAMES.length);

    const stages = await page.evaluate(() => window.__stages);
    for (const name of NAMES) {
      const seen = stages[name]!;
      // Its own row, from sending to ready, never backwards (no other file's stage shows in it).
      expect(seen[0]).toBe('Sending');
      expect(seen.at(-1)).toBe('Ready');
      const positions = seen.map((s) => ORDER.indexOf(s));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // The row's progress bar is full.
      const bar = rows.filter({ hasText: name }).locator('progress');
      expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    }

    // The list has each file with the dropped category, and the row's passage count matches the list.
    const table = page.locator('table.files');
    for (const name of NAMES) {
      const row = table.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) });
      await row.waitFor();
      const cells = await row.locator('td').allTextContents();
      expect(cells[2]).toBe('dropped');
      const ready = await rows.filter({ hasText: name }).locator('.stage').textContent();
      expect(ready).toBe(`Ready · ${cells[3]} ${cells[3] === '1' ? 'passage' : 'passages'}`);
    }
    // The caller's usage against the limit, read again once the list changed.
    await page
      .locator('.storage-usage')
      .getByText(/^[\d.]+ (B|kB|MB) used · 3 of 3 documents$/)
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await table.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    // A file name keeps most of the row on a phone (it was once squeezed to a few letters a line).
    for (const name of NAMES) {
      const box = await rows.filter({ hasText: name }).locator('.name').boundingBox();
      expect(box!.width).toBeGreaterThan(200);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-phone.png'), fullPage: true });
  });

  it('logged no console errors and loaded nothing from elsewhere', () => {
    expect(web.problems).toEqual([]);
    expect(web.foreignRequests).toEqual([]);
  });
});
