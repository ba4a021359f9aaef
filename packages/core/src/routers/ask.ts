import type { TRPCRouterRecord } from '@trpc/server';

import { timeAsk } from '../adapters/telemetry';
import { AskInput, askQuestion } from '../domain/ask';
import { authedProcedure } from '../trpc';

/**
 * `ask.stream`: the answer as `{ event, data }` items (start, sources, content…, end | error), the same
 * generator `POST /ask/stream` frames as SSE. 400 / 404 are thrown before the first event.
 */
export const askRouter = {
  stream: authedProcedure
    .input(AskInput)
    .subscription(({ ctx, input, signal }) =>
      timeAsk(ctx.deps.telemetry, () =>
        askQuestion(ctx.deps, { userId: ctx.session.userId, ask: input, signal }),
      ),
    ),
} satisfies TRPCRouterRecord;
