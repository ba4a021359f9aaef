import type { Session as SupabaseSession, User as SupabaseUser } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';

import type { AuthTokens, AuthUser } from '../../../ports/auth-provider';

/** Supabase's user → ours; `name`/`avatar_url` come from user_metadata (Google fills them). */
export function toAuthUser(user: SupabaseUser): AuthUser {
  const meta = (user.user_metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    id: user.id,
    email: user.email ?? '',
    createdAt: new Date(user.created_at),
    name: str(meta.name) ?? str(meta.full_name),
    avatarUrl: str(meta.avatar_url) ?? str(meta.picture),
  };
}

export function toTokens(session: SupabaseSession): AuthTokens {
  return {
    user: toAuthUser(session.user),
    accessToken: session.access_token,
    refreshToken: session.refresh_token ?? null,
    expiresIn: session.expires_in ?? null,
  };
}

/** GoTrue access tokens name their session in `session_id` (informational; GoTrue checks it). */
export function sessionIdOf(token: string): string | undefined {
  try {
    const sid = decodeJwt(token).session_id;
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined;
  }
}
