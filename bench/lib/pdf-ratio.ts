// The PDF side of `ingest` and `profile-upload`: bare pdf.js extraction of one corpus PDF (the floor
// any PDF ingestion pays), run in a thread of its own (`bareThread`), and the removal of an upload, so
// the next round uploads the same bytes as new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { openPdf, pageText, runAsBackground, type Deps } from '@rag/core/testing';

import { corpusDir, type CorpusEntry } from './corpus-manifest';

/** Opens one corpus PDF and extracts every page's text, nothing else. */
export async function extractBare(e: CorpusEntry): Promise<void> {
  try {
    const doc = await openPdf(new Uint8Array(readFileSync(join(corpusDir, e.file))));
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      await pageText(page);
      page.cleanup();
    }
    await doc.destroy();
  } catch {
    // Encrypted / broken files fail here too; the pipeline refuses them the same way.
  }
}

/**
 * Bare extraction in a worker thread of its own, as the pipeline parses in one: on the bench's main
 * thread, beside the in-process database and the pipeline's own work, pdf.js ran up to a fifth slower,
 * which made the ratio look better than it is (README, *Sessions 16–17*). Timed by the caller around
 * `extract` (one thread hop, as the pipeline's read pays one).
 */
export function bareThread(): { extract(e: CorpusEntry): Promise<void>; close(): Promise<void> } {
  const worker = new Worker(new URL('./bare-thread.mjs', import.meta.url));
  return {
    extract: (e) =>
      new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', () => {
          worker.off('error', reject);
          resolve();
        });
        worker.postMessage({ file: e.file, kind: e.kind, size: e.size });
      }),
    close: () => worker.terminate().then(() => undefined),
  };
}

/**
 * Removes an upload's chunks, file row and stored bytes (outside any timing), as background work: it
 * is the bench's housekeeping, not a request. Sent as requests, its statements and the next upload's
 * made a burst for the embedded database's scheduler (db/pglite-scheduler.ts), which then held that
 * upload's own index writes back 30 ms each.
 */
export function removeUpload(
  deps: Pick<Deps, 'files' | 'vectorIndex' | 'blobs'>,
  userId: string,
  fileId: string,
): Promise<void> {
  return runAsBackground(async () => {
    const row = await deps.files.get(userId, fileId);
    await deps.vectorIndex.deleteByFile(userId, fileId);
    await deps.files.delete(userId, fileId);
    if (row) await deps.blobs.delete(row.storageKey);
  });
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
