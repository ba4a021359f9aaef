import { router } from '../trpc';
import { authRouter } from './auth';
import { chatHistoryRouter } from './chat-history';
import { userChatRouter } from './user-chat';

/** The whole API. Each domain router is a `satisfies TRPCRouterRecord` object in its own file. */
export const appRouter = router({
  auth: authRouter,
  chatHistory: chatHistoryRouter,
  userChat: userChatRouter,
});

export type AppRouter = typeof appRouter;
