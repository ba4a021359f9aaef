import type { AuthTokens, AuthUser, OAuthResult } from '../../ports/auth-provider';
import type { AuthResponse, OAuthResponse, UserResponse } from './schemas';

export function toUserResponse(user: Pick<AuthUser, 'id' | 'email' | 'createdAt'>): UserResponse {
  return { id: user.id, email: user.email, created_at: user.createdAt.toISOString() };
}

/** The document's AuthResponse, plus the refresh token (for `POST /auth/refresh`). */
export function toAuthResponse(tokens: AuthTokens): AuthResponse {
  return {
    user: toUserResponse(tokens.user),
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
  };
}

/** The Google sign-in body: `name` falls back to the e-mail, `avatar_url` to null (as documented). */
export function toOAuthResponse(result: OAuthResult): OAuthResponse {
  return {
    user: {
      id: result.user.id,
      email: result.user.email,
      name: result.user.name ?? result.user.email,
      avatar_url: result.user.avatarUrl ?? null,
    },
    access_token: result.accessToken,
    refresh_token: result.refreshToken,
    token_type: 'bearer',
    expires_in: result.expiresIn,
    provider: result.provider,
  };
}
