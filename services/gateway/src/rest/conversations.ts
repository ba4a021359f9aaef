import {
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationMessagesQuery,
  ConversationParams,
  CreateConversationResponse,
  DeleteConversationResponse,
  LatestConversationQuery,
  LatestConversationSchema,
  ListConversationsQuery,
  RenameConversationBody,
  RenameConversationResponse,
  SuggestionResponse,
  SuggestionsQuery,
} from '@rag/core/contract';
import { z } from 'zod';

import { defineRoute } from './route';

const ErrorBody = z.object({ detail: z.string() });

export const conversationRoutes = [
  defineRoute({
    method: 'get',
    path: '/conversations',
    summary: "The caller's conversations, newest activity first (paginated, read-only)",
    tags: ['conversations'],
    auth: 'bearer',
    query: ListConversationsQuery,
    responses: {
      200: { description: 'One page of conversations', schema: ConversationListSchema },
    },
    handler: async ({ call, query }) => (await call()).conversations.list(query),
  }),
  defineRoute({
    method: 'post',
    path: '/conversations/create',
    summary: 'Start a new conversation (it becomes the current one)',
    tags: ['conversations'],
    auth: 'bearer',
    responses: { 200: { description: 'Created', schema: CreateConversationResponse } },
    handler: async ({ call }) => (await call()).conversations.create(),
  }),
  defineRoute({
    method: 'get',
    path: '/conversations/:conversation_id',
    summary: 'A conversation with its newest messages (it becomes the current one)',
    description:
      'Messages carry role, content, sequence, created_at, and for answers their sources. At most `limit` ' +
      '(default and at most 500) are returned, the newest, oldest first; `before` keeps only those with a lower ' +
      'sequence. Sequences run 1..n without gaps, so a first message above 1 means older ones exist: the next ' +
      'page is `before` = its sequence.',
    tags: ['conversations'],
    auth: 'bearer',
    params: ConversationParams,
    query: ConversationMessagesQuery,
    responses: {
      200: { description: 'The conversation', schema: ConversationDetailSchema },
      404: { description: "Missing, or not the caller's", schema: ErrorBody },
    },
    handler: async ({ call, params, query }) =>
      (await call()).conversations.get({ ...params, ...query }),
  }),
  defineRoute({
    method: 'delete',
    path: '/conversations/:conversation_id',
    summary: 'Delete a conversation and its messages',
    tags: ['conversations'],
    auth: 'bearer',
    params: ConversationParams,
    responses: {
      200: { description: 'Deleted', schema: DeleteConversationResponse },
      404: { description: "Missing, or not the caller's", schema: ErrorBody },
    },
    handler: async ({ call, params }) => (await call()).conversations.delete(params),
  }),
  defineRoute({
    method: 'patch',
    path: '/conversations/:conversation_id',
    summary: 'Rename a conversation',
    description:
      'A conversation is titled from its first question (≤ 60 characters, cut at a word); this sets ' +
      'the title to 1..200 characters after trimming.',
    tags: ['conversations'],
    auth: 'bearer',
    params: ConversationParams,
    body: RenameConversationBody,
    responses: {
      200: { description: 'Renamed', schema: RenameConversationResponse },
      404: { description: "Missing, or not the caller's", schema: ErrorBody },
    },
    handler: async ({ call, params, body }) =>
      (await call()).conversations.rename({ ...params, ...body }),
  }),
  defineRoute({
    method: 'get',
    path: '/latest-conversation',
    summary: "The caller's most recent conversation that has messages",
    description: 'With its newest `limit` messages (default and at most 500), oldest first.',
    tags: ['conversations'],
    auth: 'bearer',
    query: LatestConversationQuery,
    responses: {
      200: { description: 'found is false when there is none', schema: LatestConversationSchema },
    },
    handler: async ({ call, query }) => (await call()).conversations.latest(query),
  }),
  defineRoute({
    method: 'get',
    path: '/suggestions',
    summary: 'Exactly num_suggestions questions to ask next',
    description:
      "From the caller's latest conversation when there is one (from_history true), otherwise from their " +
      'documents and then generic defaults.',
    tags: ['conversations'],
    auth: 'bearer',
    query: SuggestionsQuery,
    responses: { 200: { description: 'Suggestions', schema: SuggestionResponse } },
    handler: async ({ call, query }) => (await call()).suggestions.list(query),
  }),
];
