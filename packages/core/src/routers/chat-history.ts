import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import {
  ChatHistoryRow,
  checkAndSyncEmail,
  CheckSyncResult,
  CreateChatHistoryInput,
  createChatHistory,
  syncAllPending,
  syncEmailToUserChat,
  syncRange,
  SyncRangeInput,
  SyncResult,
  watchInsertedRows,
} from '../domain/email-sync';
import { serviceProcedure } from '../trpc';

/** `/api/v1/chat-history/*` plus what the standalone sync service needs (ping, range sync, events). */
export const chatHistoryRouter = {
  create: serviceProcedure
    .input(CreateChatHistoryInput)
    .output(ChatHistoryRow)
    .mutation(({ ctx, input }) => createChatHistory(ctx.deps, input)),
  syncEmailToUserChat: serviceProcedure
    .output(SyncResult)
    .mutation(({ ctx }) => syncEmailToUserChat(ctx.deps)),
  checkAndSyncEmail: serviceProcedure
    .output(CheckSyncResult)
    .mutation(({ ctx }) => checkAndSyncEmail(ctx.deps)),
  syncAllPending: serviceProcedure
    .output(SyncResult)
    .mutation(({ ctx }) => syncAllPending(ctx.deps)),
  syncRange: serviceProcedure
    .input(SyncRangeInput)
    .output(SyncResult)
    .mutation(({ ctx, input }) => syncRange(ctx.deps, input)),
  /** Health check of what the sync needs (database, auth provider), for the cron job. */
  ping: serviceProcedure.output(z.object({ status: z.literal('ok') })).query(async ({ ctx }) => {
    await Promise.all([ctx.deps.database.ping(), ctx.deps.auth.ping()]);
    return { status: 'ok' as const };
  }),
  /** New chat_history rows as they are committed: `ready` once listening, then `inserted` ranges. */
  onInserted: serviceProcedure.subscription(({ ctx, signal }) =>
    watchInsertedRows(ctx.deps, signal),
  ),
} satisfies TRPCRouterRecord;
