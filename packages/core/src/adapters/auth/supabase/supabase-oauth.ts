import type { Session as SupabaseSession } from '@supabase/supabase-js';

import { AuthMessages } from '../../../domain/auth/messages';
import { AppError } from '../../../errors';
import { randomToken } from '../opaque-tokens';
import { OAuthFailure, type OAuthFlowStore } from '../oauth-flows';
import {
  memoryStorage,
  newSupabaseClient,
  VERIFIER_KEY,
  type SupabaseTarget,
} from './supabase-clients';
import { gotrueMessage, isUnreachable, unreachable } from './supabase-errors';

/**
 * Google sign-in through Supabase's OAuth with PKCE. Each flow gets its own client and storage; the verifier
 * supabase-js generates is moved into `oauth_flows` under a fresh `state`, which rides on `redirect_to` so
 * the callback names its flow (GoTrue appends `code` to that URL). The original kept the verifier inside
 * one shared client, so concurrent logins overwrote each other.
 */
export function createSupabaseOAuth(target: SupabaseTarget, flows: OAuthFlowStore) {
  return {
    async authorizationUrl(redirectUrl: string): Promise<string> {
      const storage = memoryStorage();
      const client = newSupabaseClient(target, { flowType: 'pkce', storage });
      const state = randomToken();
      const redirect = new URL(redirectUrl);
      redirect.searchParams.set('state', state);
      const { data, error } = await client.auth.signInWithOAuth({
        provider: 'google',
        options: { redirectTo: redirect.href, scopes: 'email profile' },
      });
      if (error)
        throw isUnreachable(error)
          ? unreachable(error)
          : new AppError('BAD_REQUEST', AuthMessages.error(gotrueMessage(error)));
      const verifier = storage.peek(VERIFIER_KEY);
      if (!data.url || !verifier) throw new AppError('BAD_REQUEST', AuthMessages.urlFailed);
      await flows.save({
        state,
        codeVerifier: verifier,
        nonce: null,
        redirectUrl: redirect.href,
        provider: 'supabase-google',
      });
      return data.url;
    },

    /** Exchanges the code with the verifier of the flow named by `state`. */
    async exchange(code: string, state: string | undefined): Promise<SupabaseSession> {
      if (!state) throw new OAuthFailure(AuthMessages.missingState);
      const flow = await flows.take(state);
      if (!flow) throw new OAuthFailure(AuthMessages.unknownState);
      const storage = memoryStorage({ [VERIFIER_KEY]: flow.codeVerifier });
      const client = newSupabaseClient(target, { flowType: 'pkce', storage });
      const { data, error } = await client.auth.exchangeCodeForSession(code);
      if (error) {
        if (isUnreachable(error)) throw unreachable(error);
        throw new OAuthFailure(gotrueMessage(error));
      }
      if (!data.session) throw new OAuthFailure(AuthMessages.noSession);
      return data.session;
    },
  };
}
