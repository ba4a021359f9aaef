import type { TRPCRouterRecord } from '@trpc/server';

import {
  listUserChats,
  listUserChatsByEmail,
  listUserChatsByUser,
  UserChatByEmailInput,
  UserChatByUserInput,
  UserChatList,
  UserChatPage,
} from '../domain/email-sync';
import { serviceProcedure } from '../trpc';

/** `/api/v1/user-chat/*`: the documented fields only (the output schema strips anything else). */
export const userChatRouter = {
  list: serviceProcedure
    .input(UserChatPage.prefault({}))
    .output(UserChatList)
    .query(({ ctx, input }) => listUserChats(ctx.deps, input)),
  byUser: serviceProcedure
    .input(UserChatByUserInput)
    .output(UserChatList)
    .query(({ ctx, input }) => listUserChatsByUser(ctx.deps, input)),
  byEmail: serviceProcedure
    .input(UserChatByEmailInput)
    .output(UserChatList)
    .query(({ ctx, input }) => listUserChatsByEmail(ctx.deps, input)),
} satisfies TRPCRouterRecord;
