import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Deps } from '../../ports/deps';
import { uploadSpoolDir } from './file-names';

export type ReconcileReport = { removedFiles: number; removedChunks: number; removedBlobs: number };

/**
 * Start-up reconciliation: removes whatever a crash mid-ingest left behind. A file row that never reached
 * `indexed` and has no queued or running job (jobs are recovered first, see `recoverJobs`) is deleted
 * with its chunks and blob; chunks whose file row is gone are purged; stored blobs that no row points at
 * (including abandoned temp uploads) are deleted. Runs before the server accepts requests.
 */
export async function reconcileIngestion(
  deps: Pick<Deps, 'files' | 'vectorIndex' | 'blobs' | 'log' | 'dataDir' | 'jobs'>,
): Promise<ReconcileReport> {
  const { files, vectorIndex, blobs, log } = deps;
  const report: ReconcileReport = { removedFiles: 0, removedChunks: 0, removedBlobs: 0 };

  const live = await deps.jobs.liveFileIds();
  const unfinished = (await files.unfinishedFiles()).filter((f) => !live.has(f.id));
  for (const f of unfinished) {
    report.removedChunks += await vectorIndex.deleteByFile(f.userId, f.id);
    await blobs.delete(f.storageKey);
  }
  if (unfinished.length) {
    await files.deleteMany(unfinished.map((f) => f.id));
    report.removedFiles = unfinished.length;
  }

  const rows = await files.allFiles();
  const known = new Set(rows.map((r) => r.id));
  const orphanFiles = (await vectorIndex.fileIds()).filter((id) => !known.has(id));
  report.removedChunks += await vectorIndex.purgeFiles(orphanFiles);

  const keys = new Set(rows.map((r) => r.storageKey));
  for (const key of await blobs.list()) {
    if (keys.has(key)) continue;
    await blobs.delete(key);
    report.removedBlobs++;
  }

  // Multipart bodies spooled by uploads that never finished.
  const spool = uploadSpoolDir(deps.dataDir);
  for (const name of await readdir(spool).catch(() => [] as string[])) {
    await rm(join(spool, name), { force: true });
    report.removedBlobs++;
  }

  if (report.removedFiles || report.removedChunks || report.removedBlobs) {
    log.warn(report, 'reconciled an interrupted ingestion');
  }
  return report;
}
