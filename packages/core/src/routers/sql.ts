import type { TRPCRouterRecord } from '@trpc/server';

import { SQLAnalysisRequest, SQLAnalysisResponse } from '../domain/sql-analysis/schemas';
import { authedProcedure } from '../trpc';

export const sqlRouter = {
  /** Reviews a SQL statement (parser findings, rewritten query, LLM analysis when configured). */
  analyze: authedProcedure
    .input(SQLAnalysisRequest)
    .output(SQLAnalysisResponse)
    // The SQL parser and formatter load on first use (~0.4 s of start-up otherwise).
    .mutation(async ({ ctx, input, signal }) => {
      const { analyzeSql } = await import('../domain/sql-analysis');
      return analyzeSql(ctx.deps, ctx.session.userId, input, signal);
    }),
} satisfies TRPCRouterRecord;
