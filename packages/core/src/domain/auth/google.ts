import { AppError } from '../../errors';
import type { AuthDeps } from './deps';
import { AuthMessages } from './messages';
import type { OAuthResult } from '../../ports/auth-provider';

function requireGoogle(provider: string) {
  if (provider !== 'google')
    throw new AppError('BAD_REQUEST', AuthMessages.unsupportedProvider(provider));
}

/** `GET /auth/google/url`: starts a flow (its PKCE verifier and state are stored server-side). */
export async function googleUrl(
  deps: AuthDeps,
  input: { redirect_url?: string },
): Promise<{ url: string }> {
  if (!input.redirect_url) throw new AppError('BAD_REQUEST', AuthMessages.missingRedirect);
  let target: URL;
  try {
    target = new URL(input.redirect_url);
  } catch {
    throw new AppError('BAD_REQUEST', AuthMessages.error('redirect_url không hợp lệ'));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AppError(
      'BAD_REQUEST',
      AuthMessages.error('redirect_url phải là URL http hoặc https'),
    );
  }
  const url = await deps.auth.googleAuthUrl({ redirectUrl: target.href });
  if (!url) throw new AppError('BAD_REQUEST', AuthMessages.urlFailed);
  return { url };
}

/** `GET /auth/callback`: where the provider sends the browser back. */
export async function googleCallback(
  deps: AuthDeps,
  input: { code?: string; state?: string; error?: string; iss?: string; provider: string },
): Promise<OAuthResult> {
  if (input.error) throw new AppError('BAD_REQUEST', AuthMessages.oauthError(input.error));
  requireGoogle(input.provider);
  if (!input.code) throw new AppError('BAD_REQUEST', AuthMessages.missingCode);
  return deps.auth.googleCallback({ code: input.code, state: input.state, iss: input.iss });
}

/** `POST /auth/google`: a code from the redirect flow, or a Google ID token. */
export async function googleSignIn(
  deps: AuthDeps,
  input: {
    code?: string | null;
    access_token?: string | null;
    provider: string;
    state?: string | null;
    iss?: string | null;
  },
): Promise<OAuthResult> {
  requireGoogle(input.provider);
  if (!input.code && !input.access_token)
    throw new AppError('BAD_REQUEST', AuthMessages.codeOrToken);
  const result = await deps.auth.googleSignIn({
    code: input.code ?? undefined,
    accessToken: input.code ? undefined : (input.access_token ?? undefined),
    state: input.state ?? undefined,
    iss: input.iss ?? undefined,
  });
  return result;
}
