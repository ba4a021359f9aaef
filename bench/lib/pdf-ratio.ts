// The PDF side of `ingest` and `profile-upload`: bare pdf.js extraction of one corpus PDF (the floor
// any PDF ingestion pays) and the removal of an upload, so the next round uploads the same bytes as new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
