import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fresh embedded database starts from a template: the migrated, empty data directory `pnpm build`
 * leaves in dist/pg-template. Copying it takes well under a second where PGlite's `initdb` in WASM
 * takes 10–20 s (issue 13 item 2). Only an absent or empty data directory is seeded, through a staging
 * copy renamed into place, so a crash mid-copy never leaves a half directory that looks like a database.
 */
export function seedFromTemplate(dataDir: string, template: string): boolean {
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const staging = `${dataDir}.seeding-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(template, staging, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(staging, dataDir);
  return true;
}
