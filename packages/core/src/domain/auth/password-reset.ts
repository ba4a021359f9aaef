import { AppError } from '../../errors';
import { loginThrottle } from './account';
import type { AuthDeps } from './deps';
import { normalizeEmail } from './email';
import { AuthMessages } from './messages';
import { passwordProblem } from './password-rules';

/** The reset link may only send people back to configured front ends (no open redirect via our mail). */
export function vetRedirect(
  redirectTo: string | null | undefined,
  allowedOrigins: string,
): string | undefined {
  if (!redirectTo) return undefined;
  let url: URL;
  try {
    url = new URL(redirectTo);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const allowed = allowedOrigins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        return null;
      }
    });
  return allowed.includes(url.origin) ? url.href : undefined;
}

/**
 * `POST /auth/forgot-password`: always the same 200, whether or not the account exists. The answer is
 * built without waiting for the account lookup, the token or the mail: that work runs after it, in the
 * background, so existing and unknown e-mails take the same path and the same time on the request.
 */
export async function forgotPassword(
  deps: AuthDeps,
  input: { email: string; redirect_to?: string | null },
): Promise<{ status: 'success'; message: string }> {
  const redirectTo = vetRedirect(input.redirect_to, deps.env.AUTH_REDIRECT_ORIGINS);
  if (input.redirect_to && !redirectTo) {
    deps.log.warn(
      { redirectTo: input.redirect_to },
      'redirect_to ignored: origin not in AUTH_REDIRECT_ORIGINS',
    );
  }
  const email = normalizeEmail(input.email);
  setImmediate(() => {
    deps.auth
      .forgotPassword({ email, redirectTo })
      .catch((err: unknown) => deps.log.error({ err }, 'password reset request failed'));
  });
  return Promise.resolve({ status: 'success', message: AuthMessages.forgotOk });
}

/** `POST /auth/reset-password`: rules first (400, first failing rule), then the token (401), then the provider. */
export async function resetPassword(
  deps: AuthDeps,
  input: { password: string; access_token: string },
): Promise<{ status: 'success'; message: string }> {
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError('BAD_REQUEST', problem);
  const token = input.access_token.trim();
  if (!token) throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
  const { email } = await deps.auth.resetPassword({ accessToken: token, password: input.password });
  // The owner proved the mailbox: lift every login lock on the account.
  if (email) await loginThrottle(deps).clearAccount(normalizeEmail(email));
  return { status: 'success', message: AuthMessages.resetOk };
}
