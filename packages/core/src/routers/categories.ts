import type { TRPCRouterRecord } from '@trpc/server';

import { categoryStats, CategoryStatsResponse } from '../domain/categories';
import { authedProcedure } from '../trpc';

export const categoriesRouter = {
  /** The caller's indexed files per category (`CategoryStatsResponse`). */
  stats: authedProcedure
    .output(CategoryStatsResponse)
    .query(({ ctx }) => categoryStats(ctx.deps, ctx.session.userId)),
} satisfies TRPCRouterRecord;
