import { eq, lt } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { oauthFlows } from '../../db/schema';
import type { Clock } from '../../ports/clock';

/** How long a user may take between asking for the login URL and coming back with a code. */
const FLOW_TTL_MS = 10 * 60 * 1000;

export type OAuthFlow = {
  state: string;
  codeVerifier: string;
  nonce: string | null;
  redirectUrl: string;
  provider: string;
};

/**
 * One row per OAuth/OIDC flow in progress, keyed by `state`: each flow keeps its own PKCE verifier (and
 * nonce) in the database, never in a shared client, so concurrent logins cannot overwrite each other and
 * any gateway instance can finish a flow another one started.
 */
export function createOAuthFlowStore(db: Db, clock: Clock) {
  return {
    async save(flow: OAuthFlow): Promise<void> {
      const now = clock.now();
      // Abandoned flows are swept here rather than by a timer.
      await db.delete(oauthFlows).where(lt(oauthFlows.expiresAt, now));
      await db
        .insert(oauthFlows)
        .values({ ...flow, createdAt: now, expiresAt: new Date(now.getTime() + FLOW_TTL_MS) });
    },
    /** Removes and returns the flow (single use); null when unknown or expired. */
    async take(state: string): Promise<OAuthFlow | null> {
      const [row] = await db.delete(oauthFlows).where(eq(oauthFlows.state, state)).returning();
      if (!row || row.expiresAt.getTime() <= clock.now().getTime()) return null;
      return {
        state: row.state,
        codeVerifier: row.codeVerifier,
        nonce: row.nonce,
        redirectUrl: row.redirectUrl,
        provider: row.provider,
      };
    },
  };
}

export type OAuthFlowStore = ReturnType<typeof createOAuthFlowStore>;

/** A reason an OAuth step failed, in words fit for the user; the caller picks the documented prefix. */
export class OAuthFailure extends Error {
  constructor(
    readonly reason: string,
    readonly kind: 'bad-request' | 'unavailable' | 'forbidden' = 'bad-request',
  ) {
    super(reason);
    this.name = 'OAuthFailure';
  }
}
