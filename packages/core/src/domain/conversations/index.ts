export {
  getConversation,
  latestConversation,
  listConversations,
  removeConversation,
  startConversation,
} from './conversations';
export {
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationParams,
  ConversationSummarySchema,
  CreateConversationResponse,
  DeleteConversationResponse,
  LatestConversationSchema,
  ListConversationsQuery,
  MessageSchema,
  SourceSchema,
  type ConversationDetail,
  type ConversationList,
  type LatestConversation,
  type Message,
  type Source,
} from './schemas';
