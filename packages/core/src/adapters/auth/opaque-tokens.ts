import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret (refresh tokens, reset tokens, OAuth state). 256 bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256, so a database leak does not hand out live tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
