import { ensureSecretFile } from '../secret-file';

/**
 * The HS256 key for access tokens: `JWT_SECRET` when set, otherwise a secret generated on first start and
 * kept in `DATA_DIR/secrets/jwt-secret` (mode 0600), so tokens survive restarts. Several gateways sharing
 * one database must share `JWT_SECRET` (or the data directory).
 */
export function loadJwtSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  return new TextEncoder().encode(ensureSecretFile(dataDir, 'jwt-secret').value);
}
