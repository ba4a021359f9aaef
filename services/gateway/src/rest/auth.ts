import { z } from 'zod';

import {
  AuthResponseSchema,
  ForgotPasswordRequestSchema,
  GoogleAuthRequestSchema,
  GoogleUrlQuerySchema,
  LoginRequestSchema,
  MessageResponseSchema,
  OAuthCallbackQuerySchema,
  OAuthResponseSchema,
  RefreshRequestSchema,
  ResetPasswordRequestSchema,
  SessionFailureSchema,
  SessionResponseSchema,
  SignUpRequestSchema,
  StatusResponseSchema,
  UrlResponseSchema,
  UserResponseSchema,
} from '@rag/core/contract';

import { defineRoute, type AnyRouteSpec } from './route';

const Detail = z.object({ detail: z.string() });
const tags = ['auth'];
const unavailable = { description: 'Auth service not configured or unreachable', schema: Detail };

/** Every `/auth/*` route of the document, plus `POST /auth/refresh`; each is one procedure call. */
export function authRoutes(): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/signup',
      summary: 'Sign up with e-mail and password',
      description:
        'The password must have at least 8 characters, an upper-case and a lower-case letter and a digit.',
      tags,
      auth: 'none',
      body: SignUpRequestSchema,
      responses: {
        200: { description: 'Signed up and signed in', schema: AuthResponseSchema },
        400: { description: 'E-mail taken or password too weak', schema: Detail },
        403: {
          description:
            'Sign-up closed (SIGNUP_ENABLED=false) or the domain not in SIGNUP_EMAIL_DOMAINS',
          schema: Detail,
        },
        503: unavailable,
      },
      handler: async ({ call, body }) => (await call()).auth.signUp(body),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Log in with e-mail and password',
      tags,
      auth: 'none',
      body: LoginRequestSchema,
      responses: {
        200: { description: 'Signed in', schema: AuthResponseSchema },
        400: { description: 'Login failed', schema: Detail },
        401: { description: 'Wrong e-mail or password', schema: Detail },
        429: { description: 'Too many failed logins for this e-mail', schema: Detail },
        503: unavailable,
      },
      handler: async ({ call, body }) => (await call()).auth.signIn(body),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: "Log out (revokes the caller's session only)",
      tags,
      auth: 'bearer',
      responses: {
        200: { description: 'Logged out', schema: MessageResponseSchema },
        503: unavailable,
      },
      handler: async ({ call }) => (await call()).auth.signOut(),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for new tokens',
      description: 'Refresh tokens rotate: the one sent stops working.',
      tags,
      auth: 'optional-bearer',
      body: RefreshRequestSchema,
      responses: {
        200: { description: 'New tokens', schema: AuthResponseSchema },
        401: { description: 'Invalid, used or expired refresh token', schema: Detail },
        503: unavailable,
      },
      handler: async ({ call, body }) => (await call()).auth.refresh(body),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/user',
      summary: 'The signed-in user',
      tags,
      auth: 'bearer',
      responses: {
        200: { description: 'The caller', schema: UserResponseSchema },
        503: unavailable,
      },
      handler: async ({ call }) => (await call()).auth.me(),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/session',
      summary: "The caller's session, from the caller's own token",
      tags,
      auth: 'optional-bearer',
      responses: {
        200: { description: 'Authenticated', schema: SessionResponseSchema },
        401: {
          description: 'No token, or an invalid or expired one',
          schema: SessionFailureSchema,
        },
        503: unavailable,
      },
      handler: async ({ call }) => (await call()).auth.session(),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/google',
      summary: 'Sign in or sign up with Google',
      description:
        'Send the `code` (with the `state`) that Google returned to your redirect_url, or a Google ID token as `access_token`.',
      tags,
      auth: 'none',
      body: GoogleAuthRequestSchema,
      responses: {
        200: { description: 'Signed in', schema: OAuthResponseSchema },
        400: { description: 'Missing code/access_token or Google refused it', schema: Detail },
        403: {
          description: 'A first sign-in that would create an account the sign-up policy refuses',
          schema: Detail,
        },
        503: { description: 'Google sign-in not configured', schema: Detail },
      },
      handler: async ({ call, body }) => (await call()).auth.google(body),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/google/url',
      summary: 'The Google sign-in URL to send the browser to',
      tags,
      auth: 'none',
      query: GoogleUrlQuerySchema,
      responses: {
        200: { description: 'Authorization URL', schema: UrlResponseSchema },
        400: { description: 'Missing or invalid redirect_url', schema: Detail },
        503: { description: 'Google sign-in not configured', schema: Detail },
      },
      handler: async ({ call, query }) => (await call()).auth.googleUrl(query),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/callback',
      summary: 'Where Google sends the browser back (code + state)',
      tags,
      auth: 'none',
      query: OAuthCallbackQuerySchema,
      responses: {
        200: { description: 'Signed in', schema: OAuthResponseSchema },
        400: { description: 'OAuth error, missing code or failed exchange', schema: Detail },
        403: {
          description: 'A first sign-in that would create an account the sign-up policy refuses',
          schema: Detail,
        },
        503: { description: 'Google sign-in not configured', schema: Detail },
      },
      handler: async ({ call, query }) => (await call()).auth.googleCallback(query),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/forgot-password',
      summary: 'Send a password-reset e-mail',
      description: 'Always answers success, whether or not the e-mail has an account.',
      tags,
      auth: 'none',
      body: ForgotPasswordRequestSchema,
      responses: {
        200: { description: 'Accepted', schema: StatusResponseSchema },
        503: unavailable,
      },
      handler: async ({ call, body }) => (await call()).auth.forgotPassword(body),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/reset-password',
      summary: 'Set a new password with the token from the reset e-mail',
      tags,
      auth: 'none',
      body: ResetPasswordRequestSchema,
      responses: {
        200: { description: 'Password changed', schema: StatusResponseSchema },
        400: { description: 'Password breaks a rule, or equals the old one', schema: Detail },
        401: { description: 'Invalid, used or expired token', schema: Detail },
        503: unavailable,
      },
      handler: async ({ call, body }) => (await call()).auth.resetPassword(body),
    }),
  ];
}
