/** The authenticated caller of one request. */
export type Session = {
  userId: string;
  email: string;
  /** When the user account was created. */
  userCreatedAt: Date;
  /** Server-side session id (local provider) or the provider's session id, if known. */
  sessionId?: string;
  /** The bearer token the caller presented (needed to sign out with Supabase). */
  accessToken: string;
};

export type AuthUser = {
  id: string;
  email: string;
  createdAt: Date;
  name?: string | null;
  avatarUrl?: string | null;
};

export type AuthTokens = {
  user: AuthUser;
  accessToken: string;
  refreshToken: string | null;
  /** Seconds until the access token expires, when known. */
  expiresIn: number | null;
};

/** Result of a Google / OIDC sign-in. */
export type OAuthResult = AuthTokens & { provider: string };

/**
 * One interface over the local provider (users in our database) and Supabase Auth.
 * Every method throws `AppError` with the contract's messages.
 */
export interface AuthProvider {
  /** 'local' | 'supabase', for the start-up log. */
  readonly name: string;
  signUp(input: { email: string; password: string }): Promise<AuthTokens>;
  signIn(input: { email: string; password: string }): Promise<AuthTokens>;
  /** Revokes the caller's session only. */
  signOut(session: Session): Promise<void>;
  /**
   * Exchanges a refresh token for new tokens. With `expectedUserId` (the caller is signed in) the token
   * must belong to that user.
   */
  refresh(refreshToken: string, expectedUserId?: string): Promise<AuthTokens>;
  /** Resolves a bearer token to a session; null when invalid, expired or revoked. */
  verifyAccessToken(token: string): Promise<Session | null>;
  /** Sends a reset link when the account exists; silent otherwise. `redirectTo` is already vetted. */
  forgotPassword(input: { email: string; redirectTo?: string }): Promise<void>;
  /** Sets a new password with a reset token (rules already checked); single use, revokes sessions. */
  resetPassword(input: {
    accessToken: string;
    password: string;
  }): Promise<{ email: string | null }>;
  googleAuthUrl(input: { redirectUrl: string }): Promise<string>;
  /** Completes the redirect flow: the `code` and `state` (and `iss`, RFC 9207) sent back to redirect_url. */
  googleCallback(input: { code: string; state?: string; iss?: string }): Promise<OAuthResult>;
  /** `POST /auth/google`: a code (with its flow's state), or a Google ID token / access token. */
  googleSignIn(input: {
    code?: string;
    accessToken?: string;
    state?: string;
    iss?: string;
  }): Promise<OAuthResult>;
  /** Looks users up by normalised e-mail (for the e-mail sync): e-mail → user id; unknown e-mails are absent. */
  findUsersByEmails(emails: string[]): Promise<Map<string, string>>;
  /** Probe for /health. */
  ping(): Promise<void>;
}
