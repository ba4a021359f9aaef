import { z } from 'zod';

import { MAX_TITLE_LENGTH } from './titles';

/** A conversation id as the routes accept it (ours are `conv_<32 hex>`; older clients may send others). */
export const ConversationIdSchema = z.string().trim().min(1).max(200);

export const ConversationParams = z.object({ conversation_id: ConversationIdSchema });
export type ConversationParams = z.infer<typeof ConversationParams>;

/** Most messages one conversation detail returns (the newest ones). */
export const MAX_MESSAGES_RETURNED = 500;

/**
 * Paging a conversation's messages backwards: the newest `limit` messages, only those before the
 * sequence `before` when given. Sequences run 1..n without gaps, so a first message whose sequence is
 * above 1 says older ones exist: the next page is `before` = that sequence.
 */
export const ConversationMessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_MESSAGES_RETURNED).default(MAX_MESSAGES_RETURNED),
  // Sequences are Postgres integers: a larger cursor is refused, not sent to the database.
  before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});
export type ConversationMessagesQuery = z.infer<typeof ConversationMessagesQuery>;

export const GetConversationInput = ConversationParams.extend(ConversationMessagesQuery.shape);

/** `latest-conversation`: its newest `limit` messages. */
export const LatestConversationQuery = ConversationMessagesQuery.pick({ limit: true });
export type LatestConversationQuery = z.infer<typeof LatestConversationQuery>;
export type GetConversationInput = z.infer<typeof GetConversationInput>;

export const ListConversationsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(50).default(10),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

/** One cited passage, as the `sources` event sends it and as answers store it. */
export const SourceSchema = z.object({
  /** The original filename (never a server path). */
  source: z.string(),
  source_filename: z.string(),
  file_id: z.string(),
  /** 1-based page for paged documents, else null. */
  page: z.number().int().nullable(),
  page_label: z.string().nullable(),
  section: z.string().nullable(),
  /** The score that ordered this source (fused for hybrid). */
  score: z.number(),
  content_snippet: z.string(),
  is_web_search: z.boolean(),
});
export type Source = z.infer<typeof SourceSchema>;

export const MessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  sequence: z.number().int(),
  created_at: z.string(),
  /** Same as `created_at`; the original API named it so. */
  timestamp: z.string(),
  question_id: z.string().nullable(),
  /** Answers only: the passages the answer was built from. */
  sources: z.array(SourceSchema).optional(),
  /** Answers only: true when the client left before the answer finished (the text is partial). */
  interrupted: z.boolean().optional(),
  /** Search settings and timing of an answer; omitted when empty. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSummarySchema = z.object({
  conversation_id: z.string(),
  user_id: z.string(),
  created_at: z.string(),
  last_updated: z.string(),
  title: z.string().nullable(),
  /** The first question of the conversation ("" while it has none). */
  first_message: z.string(),
  message_count: z.number().int(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationListSchema = z.object({
  status: z.literal('success'),
  message: z.string(),
  data: z.array(ConversationSummarySchema),
  pagination: z.object({
    page: z.number().int(),
    page_size: z.number().int(),
    total_items: z.number().int(),
    total_pages: z.number().int(),
  }),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;

export const ConversationDetailSchema = z.object({
  status: z.literal('success'),
  message: z.string(),
  /** Also at the top level, as the original's "no messages" body had it. */
  conversation_id: z.string(),
  data: z.object({
    conversation_id: z.string(),
    user_id: z.string(),
    title: z.string().nullable(),
    created_at: z.string(),
    last_updated: z.string(),
    messages: z.array(MessageSchema),
  }),
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

export const CreateConversationResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  conversation_id: z.string(),
});
export type CreateConversationResponse = z.infer<typeof CreateConversationResponse>;

export const DeleteConversationResponse = CreateConversationResponse;
export type DeleteConversationResponse = z.infer<typeof DeleteConversationResponse>;

export const LatestConversationSchema = z.object({
  conversation_info: z.union([ConversationSummarySchema, z.object({}).strict()]),
  messages: z.array(MessageSchema),
  found: z.boolean(),
});
export type LatestConversation = z.infer<typeof LatestConversationSchema>;

/** `PATCH /conversations/{id}`: the new title, trimmed, 1..MAX_TITLE_LENGTH characters. */
export const RenameConversationBody = z.object({
  title: z
    .string()
    .trim()
    .min(1)
    .max(MAX_TITLE_LENGTH)
    .regex(
      // eslint-disable-next-line no-control-regex
      /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/,
      'Title must not contain control characters',
    )
    .meta({ description: `The new title (1 to ${MAX_TITLE_LENGTH} characters after trimming)` }),
});
export type RenameConversationBody = z.infer<typeof RenameConversationBody>;

export const RenameConversationInput = ConversationParams.extend(RenameConversationBody.shape);
export type RenameConversationInput = z.infer<typeof RenameConversationInput>;

export const RenameConversationResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  conversation_id: z.string(),
  title: z.string(),
});
export type RenameConversationResponse = z.infer<typeof RenameConversationResponse>;
