import type { TRPCRouterRecord } from '@trpc/server';

import {
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationParams,
  CreateConversationResponse,
  DeleteConversationResponse,
  getConversation,
  GetConversationInput,
  latestConversation,
  LatestConversationQuery,
  LatestConversationSchema,
  listConversations,
  ListConversationsQuery,
  removeConversation,
  RenameConversationInput,
  RenameConversationResponse,
  retitleConversation,
  startConversation,
} from '../domain/conversations';
import { authedProcedure } from '../trpc';

export const conversationsRouter = {
  list: authedProcedure
    .input(ListConversationsQuery.prefault({}))
    .output(ConversationListSchema)
    .query(({ ctx, input }) => listConversations(ctx.deps, ctx.session.userId, input)),
  /** A mutation: opening a conversation makes it the caller's current one. */
  get: authedProcedure
    .input(GetConversationInput)
    .output(ConversationDetailSchema)
    .mutation(({ ctx, input }) => getConversation(ctx.deps, ctx.session.userId, input)),
  create: authedProcedure
    .output(CreateConversationResponse)
    .mutation(({ ctx }) => startConversation(ctx.deps, ctx.session.userId)),
  delete: authedProcedure
    .input(ConversationParams)
    .output(DeleteConversationResponse)
    .mutation(({ ctx, input }) =>
      removeConversation(ctx.deps, ctx.session.userId, input.conversation_id),
    ),
  rename: authedProcedure
    .input(RenameConversationInput)
    .output(RenameConversationResponse)
    .mutation(({ ctx, input }) =>
      retitleConversation(ctx.deps, ctx.session.userId, input.conversation_id, input.title),
    ),
  latest: authedProcedure
    .output(LatestConversationSchema)
    .input(LatestConversationQuery.prefault({}))
    .query(({ ctx, input }) => latestConversation(ctx.deps, ctx.session.userId, input)),
} satisfies TRPCRouterRecord;
