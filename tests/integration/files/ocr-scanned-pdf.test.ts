import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestFile, parseDocument, REFUSAL_MESSAGES, type Deps } from '@rag/core/testing';

import { documentBudget } from '../../../packages/core/src/domain/files/parsers/budget';
import { stopOcrEngine } from '../../../packages/core/src/domain/files/parsers/ocr/tesseract-engine';
import { createTestDeps } from '../../support/harness';
import { scannedPdf, textPdf } from '../../support/scanned-pdf';

/**
 * A scanned page (an image, no text layer) becomes searchable through OCR, cited with its own page
 * number; with OCR=off the same PDF keeps today's refusal. One page, English only: OCR is slow.
 */
const userId = '0c1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const dir = mkdtempSync(join(tmpdir(), 'rag-ocr-test-'));
let scan: string;
let imageOnly: string;
let garbled: string;
let garbledOnly: string;
let deps: Deps;

beforeAll(async () => {
  const source = await textPdf([
    'Quarterly molasses report',
    'The warehouse in Haiphong stored',
    'seventeen barrels of molasses.',
  ]);
  scan = join(dir, 'scan.pdf');
  writeFileSync(
    scan,
    await scannedPdf(source, [['Cover page of the archive.', 'Contents follow.']]),
  );
  imageOnly = join(dir, 'image-only.pdf');
  writeFileSync(imageOnly, await scannedPdf(source));
  garbled = join(dir, 'garbled.pdf');
  writeFileSync(
    garbled,
    await scannedPdf(source, [['Cover page of the archive.', 'Contents follow.']], {
      garbageLayer: true,
    }),
  );
  garbledOnly = join(dir, 'garbled-only.pdf');
  writeFileSync(garbledOnly, await scannedPdf(source, [], { garbageLayer: true }));
  deps = await createTestDeps({ OCR_LANGUAGES: 'eng' });
}, 120_000);
afterAll(async () => {
  await deps?.close();
  await stopOcrEngine();
  rmSync(dir, { recursive: true, force: true });
});

describe('OCR of scanned PDF pages', () => {
  it(
    'indexes the scanned page, searchable and cited with its page number',
    { timeout: 240_000 },
    async () => {
      const result = await ingestFile(deps, {
        userId,
        filename: 'scan.pdf',
        source: createReadStream(scan),
      });
      expect(result.pageCount).toBe(2);
      const hits = await deps.vectorIndex.search({
        userId,
        mode: 'keyword',
        text: 'barrels molasses Haiphong',
        limit: 5,
        alpha: 0,
        filter: { fileIds: [result.fileId] },
      });
      expect(hits[0]?.chunk.page).toBe(2);
      expect(hits[0]?.chunk.content).toMatch(/seventeen barrels of molasses/i);
      // Recognised text goes through the same hygiene as a text layer: no control characters.
      // eslint-disable-next-line no-control-regex
      for (const h of hits) expect(h.chunk.content).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    },
  );

  /** Reads a document with OCR off: its segments, or the refusal. */
  async function withoutOcr(path: string) {
    const doc = await parseDocument(path, '.pdf', documentBudget({ ...deps.env, OCR: false }));
    const texts: { page: number | null; text: string }[] = [];
    try {
      for await (const s of doc.segments) texts.push({ page: s.page, text: s.text });
      return { texts, error: null };
    } catch (e) {
      return { texts, error: e };
    }
  }

  it('with OCR=off, an image-only PDF is refused as before', async () => {
    const { error } = await withoutOcr(imageOnly);
    expect(error).toMatchObject({ problem: 'image-only', message: REFUSAL_MESSAGES.imageOnly });
  });

  it('never indexes a garbage text layer (glyph codes): without OCR the page is left out, or refused', async () => {
    const { texts, error } = await withoutOcr(garbled);
    expect(error).toBeNull();
    expect(texts.map((t) => t.page)).toEqual([1]);
    expect(texts[0]?.text).toContain('Cover page of the archive.');
    expect((await withoutOcr(garbledOnly)).error).toMatchObject({
      problem: 'image-only',
      message: REFUSAL_MESSAGES.unreadableText,
    });
  });
});
