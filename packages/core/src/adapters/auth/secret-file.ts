import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where generated secrets live: `DATA_DIR/secrets/<name>` (directory 0700, files 0600). */
export function secretPath(dataDir: string, name: string): string {
  return join(dataDir, 'secrets', name);
}

/**
 * The secret stored in `DATA_DIR/secrets/<name>`, generated on first use. `created` tells the one
 * start-up that made it (so it can be announced once).
 */
export function ensureSecretFile(
  dataDir: string,
  name: string,
): { value: string; created: boolean } {
  const file = secretPath(dataDir, name);
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    // 'wx' fails when the file exists, so two processes starting together keep the first one's secret.
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const value = readFileSync(file, 'utf8').trim();
  if (value.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters`);
  return { value, created };
}

/** Reads a generated secret without creating it (for the companion processes); null when absent. */
export function readSecretFile(dataDir: string, name: string): string | null {
  try {
    const value = readFileSync(secretPath(dataDir, name), 'utf8').trim();
    return value || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
