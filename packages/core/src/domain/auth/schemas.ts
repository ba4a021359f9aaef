import { z } from 'zod';

/**
 * Request and response schemas of the auth routes, shared by the tRPC procedures and the REST adapters
 * (and so by the OpenAPI document). Password *rules* are not schema checks: the document answers a
 * rule violation with 400 and the rule's message, not with a 422 validation body.
 */

/** EmailStr, normalised: trimmed and lower-cased before the format check, so lookups are case-insensitive. */
// `.email()` after the overwrites keeps the check order (trim → lower → format) and `format: email` in OpenAPI.
export const EmailSchema = z.string().trim().toLowerCase().email().max(254);
/** Bounded so nobody can make the server hash megabytes. */
const PasswordSchema = z.string().max(1024);

export const SignUpRequestSchema = z
  .object({ email: EmailSchema, password: PasswordSchema })
  .meta({ id: 'UserSignUpRequest' });
export const LoginRequestSchema = z
  .object({ email: EmailSchema, password: PasswordSchema })
  .meta({ id: 'UserLoginRequest' });
export const RefreshRequestSchema = z
  .object({ refresh_token: z.string().min(1).max(4096) })
  .meta({ id: 'RefreshTokenRequest' });
export const ForgotPasswordRequestSchema = z
  .object({ email: EmailSchema, redirect_to: z.string().max(2048).nullish() })
  .meta({ id: 'ForgotPasswordRequest' });
export const ResetPasswordRequestSchema = z
  .object({ password: PasswordSchema, access_token: z.string().max(4096) })
  .meta({ id: 'ResetPasswordRequest' });
export const GoogleAuthRequestSchema = z
  .object({
    code: z.string().max(4096).nullish(),
    access_token: z.string().max(16384).nullish(),
    provider: z.string().max(64).default('google'),
    /** The `state` the provider returned with the code (needed to find the flow's PKCE verifier). */
    state: z.string().max(512).nullish(),
    /** RFC 9207 issuer identifier returned with the code, when the provider sends one. */
    iss: z.string().max(2048).nullish(),
  })
  .meta({ id: 'GoogleAuthRequest' });
export const GoogleUrlQuerySchema = z.object({ redirect_url: z.string().max(2048).optional() });
export const OAuthCallbackQuerySchema = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  provider: z.string().max(64).default('google'),
});

export const UserResponseSchema = z
  .object({ id: z.string(), email: z.string(), created_at: z.string() })
  .meta({ id: 'UserResponse' });
export const AuthResponseSchema = z
  .object({
    user: UserResponseSchema,
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().nullable(),
    refresh_token: z.string().nullable(),
  })
  .meta({ id: 'AuthResponse' });
export const OAuthResponseSchema = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      avatar_url: z.string().nullable(),
    }),
    access_token: z.string(),
    refresh_token: z.string().nullable(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().nullable(),
    provider: z.string(),
  })
  .meta({ id: 'GoogleAuthResponse' });
export const SessionResponseSchema = z
  .object({
    is_authenticated: z.literal(true),
    user_id: z.string(),
    email: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'SessionResponse' });
export const SessionFailureSchema = z
  .object({ is_authenticated: z.literal(false), message: z.string() })
  .meta({ id: 'SessionFailure' });
export const MessageResponseSchema = z.object({ message: z.string() });
export const StatusResponseSchema = z
  .object({ status: z.literal('success'), message: z.string() })
  .meta({ id: 'ForgotPasswordResponse' });
export const UrlResponseSchema = z.object({ url: z.string() });

export type UserResponse = z.infer<typeof UserResponseSchema>;
export type AuthResponse = z.infer<typeof AuthResponseSchema>;
export type OAuthResponse = z.infer<typeof OAuthResponseSchema>;
export type SessionResponse = z.infer<typeof SessionResponseSchema>;
