import { timingSafeEqual, createHash } from 'node:crypto';

import type { Logger } from 'pino';

import { ensureSecretFile, readSecretFile, secretPath } from './secret-file';

export const SERVICE_KEY_FILE = 'service-api-key';

/**
 * The bearer key of the personal-data routes (e-mail sync, user-chat). `env`: SERVICE_API_KEY was set, and
 * only the key opens them. `generated`: kept in `DATA_DIR/secrets/service-api-key`; loopback requests that
 * came through no proxy may also pass.
 */
export type ServiceKey = { key: string; source: 'env' | 'generated'; file: string | null };

export function loadServiceKey(
  configured: string | undefined,
  dataDir: string,
  log: Logger,
): ServiceKey {
  if (configured) return { key: configured, source: 'env', file: null };
  const file = secretPath(dataDir, SERVICE_KEY_FILE);
  const { value, created } = ensureSecretFile(dataDir, SERVICE_KEY_FILE);
  if (created) {
    // Printed this once only; afterwards it is read from the file (by the sync service and cron too).
    log.warn(
      { file },
      `SERVICE_API_KEY is not set: generated a service key for /api/v1/chat-history/* and /api/v1/user-chat/*. ` +
        `Send it as "Authorization: Bearer ${value}". It is stored in ${file}; the bundled e-mail sync ` +
        `service and cron job read it from there. Set SERVICE_API_KEY to use your own.`,
    );
  }
  return { key: value, source: 'generated', file };
}

/** The key the companion processes should send: SERVICE_API_KEY, else the gateway's generated file. */
export function readServiceKey(configured: string | undefined, dataDir: string): string | null {
  return configured || readSecretFile(dataDir, SERVICE_KEY_FILE);
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function serviceKeyMatches(presented: string | null, key: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}
