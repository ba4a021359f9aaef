import { randomBytes } from 'node:crypto';
import { rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type StorageState = 'writable' | 'full' | 'unwritable';

/** Bytes free for unprivileged writers on DATA_DIR's file system. */
export async function freeBytes(dataDir: string): Promise<number> {
  const s = await statfs(dataDir);
  return s.bavail * s.bsize;
}

/**
 * Whether DATA_DIR can take writes: a tiny file is really written and removed (a read-only mount, lost
 * permissions or a vanished directory all fail it), and the free space must stay above the floor.
 */
export async function probeStorage(dataDir: string, minFreeBytes: number): Promise<StorageState> {
  const file = join(dataDir, `.health-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(file, 'ok', { flag: 'wx' });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'full' : 'unwritable';
  } finally {
    await rm(file, { force: true }).catch(() => undefined);
  }
  try {
    return (await freeBytes(dataDir)) < minFreeBytes ? 'full' : 'writable';
  } catch {
    return 'unwritable';
  }
}
