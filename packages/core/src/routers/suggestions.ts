import type { TRPCRouterRecord } from '@trpc/server';

import { SuggestionResponse, SuggestionsQuery, suggestQuestions } from '../domain/suggestions';
import { authedProcedure } from '../trpc';

export const suggestionsRouter = {
  list: authedProcedure
    .input(SuggestionsQuery.prefault({}))
    .output(SuggestionResponse)
    .query(({ ctx, input }) => suggestQuestions(ctx.deps, ctx.session.userId, input)),
} satisfies TRPCRouterRecord;
