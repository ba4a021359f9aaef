import type { TRPCRouterRecord } from '@trpc/server';

import { analyzeSql, SQLAnalysisRequest, SQLAnalysisResponse } from '../domain/sql-analysis';
import { authedProcedure } from '../trpc';

export const sqlRouter = {
  /** Reviews a SQL statement (parser findings, rewritten query, LLM analysis when configured). */
  analyze: authedProcedure
    .input(SQLAnalysisRequest)
    .output(SQLAnalysisResponse)
    .mutation(({ ctx, input, signal }) => analyzeSql(ctx.deps, ctx.session.userId, input, signal)),
} satisfies TRPCRouterRecord;
