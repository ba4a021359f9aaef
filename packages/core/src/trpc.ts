import { initTRPC, TRPCError } from '@trpc/server';

import type { Context } from './context';
import { AppError, ERROR_TABLE, findAppError } from './errors';
import { preferDiskFault } from './lib/disk-faults';
import { findNulCharacter } from './lib/input-rules';
import { inputTreeTransformer } from './lib/input-transformer';
import { serviceKeyAllows } from './adapters/auth/service-key';
import { formatError, nulCharacterError } from './trpc-errors';

export const MSG_NO_CREDENTIALS = 'Không tìm thấy thông tin xác thực';
export const MSG_INVALID_TOKEN = 'Token không hợp lệ hoặc đã hết hạn';

const t = initTRPC.context<Context>().create({
  transformer: inputTreeTransformer,
  isDev: false,
  // Keeps idle subscriptions (ask streams, the sync service's insert feed) alive through proxies.
  // No client reconnect-on-inactivity: re-subscribing `ask.stream` would ask the question again.
  sse: { ping: { enabled: true, intervalMs: 15_000 } },
  errorFormatter: formatError,
});

/** Turns AppError thrown by domain code into a TRPCError with the mapped code (status for HTTP). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const found = findAppError(result.error);
    // Storage failures (ENOSPC, read-only DATA_DIR) become their user-facing 507/503.
    const app = preferDiskFault(found, result.error);
    if (app && (app !== found || result.error.code !== ERROR_TABLE[app.code].trpc)) {
      throw new TRPCError({ code: ERROR_TABLE[app.code].trpc, message: app.message, cause: app });
    }
  }
  return result;
});

/** The shared edge rule: no U+0000 in any string input, refused like any other validation failure. */
const rejectNulCharacters = t.middleware(async ({ getRawInput, next }) => {
  const issue = findNulCharacter(await getRawInput());
  if (issue) {
    throw nulCharacterError(issue);
  }
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors).use(rejectNulCharacters);

/** Requires a valid bearer token; narrows `ctx.session` to non-null. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind !== 'authenticated') {
    throw new AppError(
      'UNAUTHORIZED',
      ctx.caller.kind === 'anonymous' ? MSG_NO_CREDENTIALS : MSG_INVALID_TOKEN,
    );
  }
  return next({ ctx: { ...ctx, session: ctx.caller.session } });
});

/**
 * Routes that carry personal data for back-office use (e-mail sync): the service key as bearer. With a
 * generated key (SERVICE_API_KEY unset) loopback clients may skip it, but only when no forwarding header
 * says a reverse proxy on this host relayed someone else's request.
 */
export const serviceProcedure = publicProcedure.use(({ ctx, next }) => {
  const allowed = serviceKeyAllows(ctx.deps.serviceKey, {
    bearer: ctx.bearer,
    clientIp: ctx.peerIp,
    forwarded: ctx.forwarded === true,
  });
  if (!allowed) {
    throw new AppError('UNAUTHORIZED', MSG_NO_CREDENTIALS);
  }
  return next();
});
