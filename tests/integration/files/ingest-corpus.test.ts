import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listFiles, type Deps } from '@rag/core/testing';

import { expectedOutcome } from '../../support/corpus';
import { corpusSample, ingestCorpusEntry } from '../../support/corpus-ingestion';
import { createTestDeps } from '../../support/harness';

/**
 * A sample of the shared corpus (every kind, every refusal reason) is either indexed or refused with a
 * message saying why. The sweep over every document is `pnpm bench corpus`, with the same checks. OCR
 * is off here so the scanned document keeps its refusal (OCR is covered by ocr-scanned-pdf.test.ts).
 */
let deps: Deps;
const userId = '5b0c7f1e-7a51-4f7e-9d0e-3c1f2a4b5c6d';
const sample = corpusSample();

beforeAll(async () => {
  deps = await createTestDeps({ OCR: 'off' });
});
afterAll(async () => deps?.close());

describe('shared corpus ingestion (sample)', () => {
  for (const entry of sample) {
    const expected = expectedOutcome(entry);
    it(`${entry.file} → ${expected}`, { timeout: 240_000 }, async () => {
      const outcome = await ingestCorpusEntry(deps, userId, entry);
      expect(outcome.problems).toEqual([]);
    });
  }

  it('indexed every indexable document once, and nothing else', async () => {
    const indexable = sample.filter((e) => expectedOutcome(e) === 'indexed');
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
      expect(hits[0]?.chunk.content.toLowerCase()).toMatch(/thế chấp/);
    }
  });
});
