import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The commit measured, and whether the working tree differed from it (results are only comparable per revision). */
export function sourceRevision(): { commit: string; dirty: boolean } | null {
  const cwd = dirname(fileURLToPath(import.meta.url));
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', '../../packages'], {
      cwd,
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return null;
  }
}
