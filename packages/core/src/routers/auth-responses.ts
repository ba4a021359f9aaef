/**
 * The contract's auth bodies, shaped at the edge from the domain's values (tokens, users, sessions):
 * the tRPC procedures answer them, and the REST routes, which call those procedures, send them as is.
 */
import type { AuthResponse, OAuthResponse, SessionResponse, UserResponse } from '../domain/auth';
import type { AuthTokens, AuthUser, OAuthResult, Session } from '../ports/auth-provider';

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

/** `GET /auth/session` for a caller with a valid session (without one, the domain throws). */
export function toSessionResponse(session: Session): SessionResponse {
  return {
    is_authenticated: true,
    user_id: session.userId,
    email: session.email,
    created_at: session.userCreatedAt.toISOString(),
  };
}

/** `GET /auth/user`: the session's user. */
export function toSessionUser(session: Session): UserResponse {
  return toUserResponse({
    id: session.userId,
    email: session.email,
    createdAt: session.userCreatedAt,
  });
}
