import { router } from '../trpc';
import { authRouter } from './auth';

/** The whole API. Each domain router is a `satisfies TRPCRouterRecord` object in its own file. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
