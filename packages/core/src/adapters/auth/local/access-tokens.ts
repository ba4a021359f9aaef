import { errors, jwtVerify, SignJWT } from 'jose';

import type { Clock } from '../../../ports/clock';

const ISSUER = 'rag-local-auth';
const AUDIENCE = 'rag-api';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AccessClaims = { userId: string; sessionId: string };

/** Signed, short-lived access tokens naming the user and the server-side session they belong to. */
export function createAccessTokens(opts: { secret: Uint8Array; clock: Clock; ttlSeconds: number }) {
  const { secret, clock, ttlSeconds } = opts;
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
        .sign(secret);
    },
    /** The claims of a valid, unexpired token; null for anything else (bad signature, expired, malformed). */
    async verify(token: string): Promise<AccessClaims | null> {
      try {
        const { payload } = await jwtVerify(token, secret, {
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
        return { userId: sub, sessionId: sid };
      } catch (e) {
        if (e instanceof errors.JOSEError || e instanceof TypeError) return null;
        throw e;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
