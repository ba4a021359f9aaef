import type { Deps } from './ports/deps';
import type { Session } from './ports/auth-provider';

/** How the caller presented itself: no credentials, bad credentials, or a valid session. */
export type Caller =
  { kind: 'anonymous' } | { kind: 'invalid' } | { kind: 'authenticated'; session: Session };

export type CreateContextOptions = {
  deps: Deps;
  /** Raw `Authorization` header, if any. */
  authorization?: string | null;
  /** The client's address: the TCP peer, or what trusted proxies forwarded (`TRUST_PROXY`); throttles count by it. */
  clientIp?: string | null;
  /** The TCP peer itself (for the loopback rule of the sync routes); `clientIp` when not given. */
  peerIp?: string | null;
  /** The request carries proxy forwarding headers (Forwarded, X-Forwarded-For, X-Real-IP). */
  forwarded?: boolean;
};

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** True when any proxy forwarding header is present (its value is never trusted). */
export function hasForwardingHeaders(
  headers: Record<string, string | string[] | undefined>,
): boolean {
  return FORWARDING_HEADERS.some((h) => headers[h] !== undefined);
}

/** Extracts the bearer token; tolerates the doubled "Bearer Bearer x" prefix the original accepted. */
export function readBearer(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const match = /^\s*bearer\s+(.+)$/i.exec(authorization);
  if (!match?.[1]) return null;
  const token = match[1].replace(/^bearer\s+/i, '').trim();
  return token || null;
}

export async function createContext(opts: CreateContextOptions) {
  const token = readBearer(opts.authorization);
  let caller: Caller = { kind: 'anonymous' };
  if (token) {
    const session = await opts.deps.auth.verifyAccessToken(token);
    caller = session ? { kind: 'authenticated', session } : { kind: 'invalid' };
  }
  return {
    deps: opts.deps,
    caller,
    session: caller.kind === 'authenticated' ? caller.session : null,
    bearer: token,
    clientIp: opts.clientIp ?? null,
    peerIp: opts.peerIp ?? opts.clientIp ?? null,
    forwarded: opts.forwarded ?? false,
  };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
