import type { Env } from '../../env';
import { AuthMessages } from './messages';

/** Who may create an account here: nobody (`SIGNUP_ENABLED=false`), or addresses of some domains. */
export type SignupPolicy = { enabled: boolean; domains: readonly string[] };

export function signupPolicy(
  env: Pick<Env, 'SIGNUP_ENABLED' | 'SIGNUP_EMAIL_DOMAINS'>,
): SignupPolicy {
  const domains = env.SIGNUP_EMAIL_DOMAINS.split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  return { enabled: env.SIGNUP_ENABLED, domains };
}

/**
 * Why a new account for this (normalised) e-mail is refused, or undefined when it may be created.
 * A listed domain matches exactly: `example.com` admits `a@example.com`, not `a@mail.example.com`.
 */
export function signupRefusal(policy: SignupPolicy, email: string): string | undefined {
  if (!policy.enabled) return AuthMessages.signupClosed;
  if (policy.domains.length === 0) return undefined;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return policy.domains.includes(domain) ? undefined : AuthMessages.signupDomain;
}
