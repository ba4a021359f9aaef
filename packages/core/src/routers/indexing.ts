import type { TRPCRouterRecord } from '@trpc/server';

import { indexingStatus, IndexingStatusResponse } from '../domain/jobs';
import { authedProcedure } from '../trpc';

export const indexingRouter = {
  /** The caller's ingestion: idle, running, completed or error (which file and why). */
  status: authedProcedure
    .output(IndexingStatusResponse)
    .query(({ ctx }) => indexingStatus(ctx.deps, ctx.session.userId)),
} satisfies TRPCRouterRecord;
