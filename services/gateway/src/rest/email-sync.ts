import {
  ChatHistoryRow,
  CheckSyncResult,
  CreateChatHistoryInput,
  SyncResult,
  UserChatEmailParams,
  UserChatList,
  UserChatPage,
  UserChatUserParams,
} from '@rag/core/contract';

import { defineRoute } from './route';

const SERVICE_AUTH =
  'Personal data: requires `Authorization: Bearer <SERVICE_API_KEY>` when that is set, otherwise ' +
  'answers loopback clients only (401 for everyone else).';

const syncRoute = (path: string, summary: string, proc: 'syncEmailToUserChat' | 'syncAllPending') =>
  defineRoute({
    method: 'post',
    path,
    summary,
    description: `${SERVICE_AUTH} Counts: total_processed = synced_records + skipped_records.`,
    tags: ['chat-history'],
    auth: 'service',
    responses: { 200: { description: 'Sync counts', schema: SyncResult } },
    handler: async ({ call }) => (await call()).chatHistory[proc](),
  });

/** `/api/v1/chat-history/*` and `/api/v1/user-chat/*` (mounted under the `/api/v1` group). */
export const emailSyncRoutes = [
  defineRoute({
    method: 'post',
    path: '/chat-history/',
    summary: 'Store a chat log, then link it to its user at once',
    description:
      `${SERVICE_AUTH} The e-mail comes from \`email\`, else from the "Email" key of a JSON ` +
      '`input_text`; it is trimmed and compared case-insensitively with the registered users.',
    tags: ['chat-history'],
    auth: 'service',
    body: CreateChatHistoryInput,
    responses: {
      201: {
        description: 'The stored row (user_id set when it was linked)',
        schema: ChatHistoryRow,
      },
    },
    handler: async ({ call, body }) => (await call()).chatHistory.create(body),
  }),
  syncRoute(
    '/chat-history/sync-email-to-user-chat',
    'Link every pending chat log to its user',
    'syncEmailToUserChat',
  ),
  defineRoute({
    method: 'post',
    path: '/chat-history/check-and-sync-email',
    summary: 'Link the pending chat logs of the last 24 hours (for the cron job)',
    description: `${SERVICE_AUTH} Counts: total_checked = synced_records + skipped_records.`,
    tags: ['chat-history'],
    auth: 'service',
    responses: { 200: { description: 'Sync counts', schema: CheckSyncResult } },
    handler: async ({ call }) => (await call()).chatHistory.checkAndSyncEmail(),
  }),
  syncRoute(
    '/chat-history/sync-all-pending',
    'Link every pending chat log to its user',
    'syncAllPending',
  ),
  defineRoute({
    method: 'get',
    path: '/user-chat/',
    summary: 'Linked conversations, newest first',
    description: SERVICE_AUTH,
    tags: ['user-chat'],
    auth: 'service',
    query: UserChatPage,
    responses: { 200: { description: 'user_chat rows', schema: UserChatList } },
    handler: async ({ call, query }) => (await call()).userChat.list(query),
  }),
  defineRoute({
    method: 'get',
    path: '/user-chat/user/:user_id',
    summary: "A user's linked conversations, newest first",
    description: SERVICE_AUTH,
    tags: ['user-chat'],
    auth: 'service',
    params: UserChatUserParams,
    query: UserChatPage,
    responses: { 200: { description: 'user_chat rows', schema: UserChatList } },
    handler: async ({ call, params, query }) =>
      (await call()).userChat.byUser({ ...params, ...query }),
  }),
  defineRoute({
    method: 'get',
    path: '/user-chat/email/:email',
    summary: "An e-mail's linked conversations (compared case-insensitively), newest first",
    description: SERVICE_AUTH,
    tags: ['user-chat'],
    auth: 'service',
    params: UserChatEmailParams,
    query: UserChatPage,
    responses: { 200: { description: 'user_chat rows', schema: UserChatList } },
    handler: async ({ call, params, query }) =>
      (await call()).userChat.byEmail({ ...params, ...query }),
  }),
];
