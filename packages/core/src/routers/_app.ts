import { router } from '../trpc';
import { askRouter } from './ask';
import { authRouter } from './auth';
import { categoriesRouter } from './categories';
import { chatHistoryRouter } from './chat-history';
import { conversationsRouter } from './conversations';
import { filesRouter } from './files';
import { indexingRouter } from './indexing';
import { sqlRouter } from './sql';
import { suggestionsRouter } from './suggestions';
import { userChatRouter } from './user-chat';

/** The whole API. Each domain router is a `satisfies TRPCRouterRecord` object in its own file. */
export const appRouter = router({
  auth: authRouter,
  chatHistory: chatHistoryRouter,
  userChat: userChatRouter,
  ask: askRouter,
  conversations: conversationsRouter,
  suggestions: suggestionsRouter,
  files: filesRouter,
  indexing: indexingRouter,
  categories: categoriesRouter,
  sql: sqlRouter,
});

export type AppRouter = typeof appRouter;
