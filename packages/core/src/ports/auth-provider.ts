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

export type AuthUser = { id: string; email: string; createdAt: Date; name?: string | null; avatarUrl?: string | null };

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
  refresh(refreshToken: string): Promise<AuthTokens>;
  /** Resolves a bearer token to a session; null when invalid, expired or revoked. */
  verifyAccessToken(token: string): Promise<Session | null>;
  forgotPassword(input: { email: string; redirectTo?: string }): Promise<void>;
  resetPassword(input: { accessToken: string; password: string }): Promise<void>;
  googleAuthUrl(input: { redirectUrl: string }): Promise<string>;
  /** Completes the redirect flow (code [+ state]) → session. */
  googleCallback(input: { code: string; state?: string }): Promise<OAuthResult>;
  /** `POST /auth/google`: a code, or a Google id/access token. */
  googleSignIn(input: { code?: string; accessToken?: string; provider: string }): Promise<OAuthResult>;
  /** Looks users up by normalised e-mail (for the e-mail sync); unknown e-mails are absent. */
  findUsersByEmails(emails: string[]): Promise<Map<string, string>>;
  /** Probe for /health. */
  ping(): Promise<void>;
}
