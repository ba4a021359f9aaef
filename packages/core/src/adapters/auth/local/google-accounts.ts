import { AuthMessages } from '../../../domain/auth/messages';
import { normalizeEmail } from '../../../domain/auth/email';
import { signupRefusal, type SignupPolicy } from '../../../domain/auth/signup-policy';
import { OAuthFailure } from '../oauth-flows';
import type { OidcProfile } from './google-oidc';
import type { SessionStore } from './sessions';
import type { UserRow, UsersRepo } from './users-repo';

/**
 * Maps an OIDC identity to a local user: the account already linked to that subject; else the account
 * with the same (provider-verified) e-mail, which gets linked; else a new account, if the sign-up policy
 * admits the address. Unverified e-mails are refused outright, so nobody can claim an address they do
 * not own.
 */
export async function resolveGoogleUser(
  profile: OidcProfile,
  deps: { repo: UsersRepo; sessions: SessionStore; now: () => Date; signup: SignupPolicy },
): Promise<UserRow> {
  const { repo, sessions } = deps;
  const linked = await repo.byGoogleSub(profile.sub);
  if (linked) {
    const refreshed = await repo.update(linked.id, {
      name: profile.name ?? linked.name,
      avatarUrl: profile.picture ?? linked.avatarUrl,
    });
    return refreshed ?? linked;
  }
  if (!profile.email) throw new OAuthFailure('tài khoản không có địa chỉ email');
  if (!profile.emailVerified) throw new OAuthFailure(AuthMessages.emailUnverified);
  const email = normalizeEmail(profile.email);

  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await repo.byEmail(email);
    if (existing) {
      if (existing.googleSub && existing.googleSub !== profile.sub) {
        throw new OAuthFailure('email đã được liên kết với một tài khoản Google khác');
      }
      // Someone may have registered this address with a password without owning the mailbox; once the
      // real owner proves ownership through Google, that password and its sessions stop working.
      const untrusted = !existing.emailVerified && existing.passwordHash !== null;
      const updated = await repo.update(existing.id, {
        googleSub: profile.sub,
        emailVerified: true,
        name: existing.name ?? profile.name,
        avatarUrl: existing.avatarUrl ?? profile.picture,
        ...(untrusted ? { passwordHash: null } : {}),
        updatedAt: deps.now(),
      });
      if (untrusted) await sessions.revokeAll(existing.id);
      return updated ?? existing;
    }
    const refused = signupRefusal(deps.signup, email);
    if (refused) throw new OAuthFailure(refused, 'forbidden');
    const created = await repo.insert({
      email,
      googleSub: profile.sub,
      emailVerified: true,
      name: profile.name,
      avatarUrl: profile.picture,
    });
    if (created) return created;
    // Lost a race with a concurrent first login: the other request created the row; link to it.
    const again = await repo.byGoogleSub(profile.sub);
    if (again) return again;
  }
  throw new OAuthFailure(AuthMessages.noSession);
}
