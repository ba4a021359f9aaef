import { TRPCError, type TRPCDefaultErrorShape } from '@trpc/server';
import { ZodError, ZodRealError } from 'zod';

import type { Context } from './context';
import { documentedErrorBody, ERROR_TABLE, findAppError } from './errors';
import { EdgeMessages, transportFailure } from './lib/edge-errors';
import type { findNulCharacter } from './lib/input-rules';

/**
 * The router's error shape: the AppError's message, code, status and documented body; zod failures
 * as "Dữ liệu không hợp lệ" with their issues; whatever the transport refused itself (batch size,
 * body limit, unreadable input) in the contract's words. Never a library's or the runtime's text.
 */
export function formatError(opts: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  path: string | undefined;
  ctx: Context | undefined;
}) {
  const { shape, error, path, ctx } = opts;
  const found = findAppError(error);
  const zod = error.cause instanceof ZodError ? error.cause : undefined;
  const edge =
    found || zod ? undefined : transportFailure(error, path, ctx?.deps.env.MAX_UPLOAD_MB);
  const app = found ?? edge?.app;
  return {
    code: shape.code,
    message: app?.message ?? edge?.message ?? EdgeMessages.invalidInput,
    data: {
      code: shape.data.code,
      httpStatus: app ? ERROR_TABLE[app.code].http : shape.data.httpStatus,
      path: shape.data.path,
      appCode: app?.code ?? null,
      body: app ? documentedErrorBody(app) : null,
      details: app?.details ?? null,
      issues:
        zod?.issues.map((i) => ({
          path: i.path.map(String),
          message: i.message,
          code: i.code,
        })) ?? null,
    },
  };
}

/**
 * The shared edge rule's refusal (U+0000 in an input) as an ordinary validation failure (422). The
 * cause is a ZodRealError, a real Error: tRPC replaces a cause that is not one (as a bare ZodError
 * is not), which lost the issues and made the issues' JSON dump the message.
 */
export function nulCharacterError(
  issue: NonNullable<ReturnType<typeof findNulCharacter>>,
): TRPCError {
  return new TRPCError({
    code: 'UNPROCESSABLE_CONTENT',
    message: EdgeMessages.invalidInput,
    cause: new ZodRealError([issue]),
  });
}
