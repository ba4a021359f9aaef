export {
  getConversation,
  latestConversation,
  listConversations,
  removeConversation,
  retitleConversation,
  startConversation,
  conversationNotFound,
} from './conversations';
export { newConversationId, newQuestionId } from './ids';
export { toMessage, type AnswerMetadata } from './views';
export { improveTitleWithModel } from './model-title';
export { acceptModelTitle, AUTO_TITLE_LENGTH, MAX_TITLE_LENGTH, titleFromQuestion } from './titles';
export {
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationMessagesQuery,
  ConversationParams,
  ConversationSummarySchema,
  CreateConversationResponse,
  DeleteConversationResponse,
  GetConversationInput,
  LatestConversationQuery,
  LatestConversationSchema,
  ListConversationsQuery,
  MAX_MESSAGES_RETURNED,
  MessageSchema,
  RenameConversationBody,
  RenameConversationInput,
  RenameConversationResponse,
  SourceSchema,
  type ConversationDetail,
  type ConversationList,
  type LatestConversation,
  type Message,
  type Source,
} from './schemas';
