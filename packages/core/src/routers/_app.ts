import { router } from '../trpc';

/** The whole API. Each domain router is a `satisfies TRPCRouterRecord` object in its own file. */
export const appRouter = router({});

export type AppRouter = typeof appRouter;
