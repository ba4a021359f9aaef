import { errors, jwtVerify, SignJWT } from 'jose';

import type { Clock } from '../../../ports/clock';

const ISSUER = 'rag-local-auth';
const AUDIENCE = 'rag-api';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AccessClaims = { userId: string; sessionId: string };

/** How many verified tokens are remembered (a few hundred bytes each); the oldest goes first. */
const VERIFIED_MAX = 4096;

/** Signed, short-lived access tokens naming the user and the server-side session they belong to. */
export function createAccessTokens(opts: { secret: Uint8Array; clock: Clock; ttlSeconds: number }) {
  const { secret, clock, ttlSeconds } = opts;
  // Imported once: given raw bytes, jose imports the HMAC key again for every signature.
  const key = crypto.subtle.importKey(
    'raw',
    new Uint8Array(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  /**
   * Tokens whose signature and claims were checked, with their expiry. A client sends the same token
   * with every request, and each check is a WebCrypto call through the libuv pool (50 asks at once
   * queue there). Only the exact string is remembered; expiry is checked on every use.
   */
  const verified = new Map<string, { claims: AccessClaims; exp: number }>();
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  return {
    ttlSeconds,
    async sign(claims: AccessClaims): Promise<string> {
      const iat = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(await key);
    },
    /** The claims of a valid, unexpired token; null for anything else (bad signature, expired, malformed). */
    async verify(token: string): Promise<AccessClaims | null> {
      const known = verified.get(token);
      if (known) {
        if (known.exp > nowSeconds()) return known.claims;
        verified.delete(token);
        return null;
      }
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: clock.now(),
          clockTolerance: 0,
          // A token that never expires is never ours (ours always carry exp): refuse it.
          requiredClaims: ['exp', 'iat', 'sub'],
        });
        const { sub, sid } = payload;
        if (typeof sub !== 'string' || typeof sid !== 'string') return null;
        if (!UUID_RE.test(sub) || !UUID_RE.test(sid)) return null;
        const claims = { userId: sub, sessionId: sid };
        if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
        verified.set(token, { claims, exp: payload.exp as number });
        return claims;
      } catch (e) {
        if (e instanceof errors.JOSEError || e instanceof TypeError) return null;
        throw e;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
