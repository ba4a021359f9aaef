import type { TRPCRouterRecord } from '@trpc/server';

import {
  AuthResponseSchema,
  forgotPassword,
  ForgotPasswordRequestSchema,
  GoogleAuthRequestSchema,
  googleCallback,
  googleSignIn,
  googleUrl,
  GoogleUrlQuerySchema,
  LoginRequestSchema,
  MessageResponseSchema,
  OAuthCallbackQuerySchema,
  OAuthResponseSchema,
  refresh,
  RefreshRequestSchema,
  resetPassword,
  ResetPasswordRequestSchema,
  sessionInfo,
  SessionResponseSchema,
  signIn,
  signOut,
  signUp,
  SignUpRequestSchema,
  StatusResponseSchema,
  UrlResponseSchema,
  UserResponseSchema,
} from '../domain/auth';
import { authedProcedure, publicProcedure } from '../trpc';
import {
  toAuthResponse,
  toOAuthResponse,
  toSessionResponse,
  toSessionUser,
} from './auth-responses';

/** Sign-up, login, sessions, password reset and Google sign-in (REST: `/auth/*`). */
export const authRouter = {
  signUp: publicProcedure
    .input(SignUpRequestSchema)
    .output(AuthResponseSchema)
    .mutation(async ({ ctx, input }) =>
      toAuthResponse(await signUp(ctx.deps, input, ctx.clientIp)),
    ),
  signIn: publicProcedure
    .input(LoginRequestSchema)
    .output(AuthResponseSchema)
    .mutation(async ({ ctx, input }) =>
      toAuthResponse(await signIn(ctx.deps, input, ctx.clientIp)),
    ),
  signOut: authedProcedure
    .output(MessageResponseSchema)
    .mutation(({ ctx }) => signOut(ctx.deps, ctx.session)),
  refresh: publicProcedure
    .input(RefreshRequestSchema)
    .output(AuthResponseSchema)
    .mutation(async ({ ctx, input }) =>
      toAuthResponse(await refresh(ctx.deps, input, ctx.session)),
    ),
  me: authedProcedure.output(UserResponseSchema).query(({ ctx }) => toSessionUser(ctx.session)),
  session: publicProcedure
    .output(SessionResponseSchema)
    .query(({ ctx }) => toSessionResponse(sessionInfo(ctx.caller))),
  forgotPassword: publicProcedure
    .input(ForgotPasswordRequestSchema)
    .output(StatusResponseSchema)
    .mutation(({ ctx, input }) => forgotPassword(ctx.deps, input)),
  resetPassword: publicProcedure
    .input(ResetPasswordRequestSchema)
    .output(StatusResponseSchema)
    .mutation(({ ctx, input }) => resetPassword(ctx.deps, input)),
  googleUrl: publicProcedure
    .input(GoogleUrlQuerySchema)
    .output(UrlResponseSchema)
    .query(({ ctx, input }) => googleUrl(ctx.deps, input)),
  googleCallback: publicProcedure
    .input(OAuthCallbackQuerySchema)
    .output(OAuthResponseSchema)
    .mutation(async ({ ctx, input }) => toOAuthResponse(await googleCallback(ctx.deps, input))),
  google: publicProcedure
    .input(GoogleAuthRequestSchema)
    .output(OAuthResponseSchema)
    .mutation(async ({ ctx, input }) => toOAuthResponse(await googleSignIn(ctx.deps, input))),
} satisfies TRPCRouterRecord;
