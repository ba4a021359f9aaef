import { createReadStream, existsSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findAppError, ingestFile, listFiles, type Deps } from '@rag/core';

import { corpusManifest, corpusPath, expectedOutcome, REFUSAL_PREFIX } from '../../support/corpus';
import { createTestDeps } from '../../support/harness';

/**
 * Every document of the shared corpus is either indexed or refused with a message saying why. OCR is
 * off here so the scanned document keeps its refusal (OCR is covered by ocr-scanned-pdf.test.ts).
 */
let deps: Deps;
const userId = '5b0c7f1e-7a51-4f7e-9d0e-3c1f2a4b5c6d';

beforeAll(async () => {
  deps = await createTestDeps({ OCR: 'off' });
});
afterAll(async () => deps?.close());

describe('shared corpus ingestion', () => {
  for (const entry of corpusManifest()) {
    const expected = expectedOutcome(entry);
    it(`${entry.file} → ${expected}`, { timeout: 240_000 }, async () => {
      const filename = entry.file.split('/').pop()!;
      const blobsBefore = await deps.blobs.list();
      const attempt = ingestFile(deps, {
        userId,
        filename,
        source: createReadStream(corpusPath(entry)),
      });
      if (expected === 'indexed') {
        const result = await attempt;
        expect(result.chunksCount).toBeGreaterThan(0);
        expect(await deps.vectorIndex.count(userId, { fileIds: [result.fileId] })).toBe(
          result.chunksCount,
        );
        const row = (await listFiles(deps, userId)).files.find((f) => f.id === result.fileId)!;
        expect(row).toMatchObject({ filename, size: entry.size, extension: `.${entry.kind}` });
        expect(existsSync(deps.blobs.path(row.path))).toBe(true);
        if (entry.kind === 'pdf') expect(result.pageCount).toBe(entry.pages);
        // Every chunk carries its place: within the size budget, pages inside the document.
        const hits = await deps.vectorIndex.search({
          userId,
          mode: 'semantic',
          text: filename,
          limit: 100,
          alpha: 1,
          filter: { fileIds: [result.fileId] },
        });
        expect(hits.length).toBe(Math.min(100, result.chunksCount));
        for (const h of hits) {
          expect(h.chunk.content.trim().length).toBeGreaterThan(0);
          expect(h.chunk.content.length).toBeLessThanOrEqual(deps.env.CHUNK_SIZE);
          expect(h.chunk.charEnd).toBeGreaterThan(h.chunk.charStart);
          if (entry.kind === 'pdf') expect(h.chunk.page).toBeGreaterThanOrEqual(1);
          else expect(h.chunk.page).toBeNull();
        }
      } else {
        const error = findAppError(
          await attempt.then(
            () => null,
            (e: unknown) => e,
          ),
        );
        expect(error?.code).toBe('BAD_REQUEST');
        expect(error?.message).toMatch(REFUSAL_PREFIX[expected]);
        expect(error?.options.body).toEqual({ filename, status: 'error', message: error?.message });
        // Nothing left behind.
        expect(await deps.blobs.list()).toEqual(blobsBefore);
        expect((await listFiles(deps, userId)).files.some((f) => f.filename === filename)).toBe(
          false,
        );
      }
    });
  }

  it('indexed every indexable document once, and nothing else', async () => {
    const indexable = corpusManifest().filter((e) => expectedOutcome(e) === 'indexed');
    const files = (await listFiles(deps, userId)).files;
    expect(files.length).toBe(indexable.length);
    expect((await deps.vectorIndex.fileIds(userId)).sort()).toEqual(files.map((f) => f.id).sort());
  });

  it('finds Vietnamese legal text with and without diacritics', async () => {
    for (const text of ['hợp đồng thế chấp tài sản', 'hop dong the chap tai san']) {
      const hits = await deps.vectorIndex.search({
        userId,
        mode: 'hybrid',
        text,
        limit: 5,
        alpha: 0.5,
      });
      expect(hits.length).toBe(5);
      expect(hits[0]!.chunk.content.toLowerCase()).toMatch(/thế chấp/);
    }
  });
});
