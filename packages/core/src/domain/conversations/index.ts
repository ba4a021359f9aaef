export {
  getConversation,
  latestConversation,
  listConversations,
  removeConversation,
  retitleConversation,
  startConversation,
} from './conversations';
export { improveTitleWithModel } from './model-title';
export { acceptModelTitle, AUTO_TITLE_LENGTH, MAX_TITLE_LENGTH, titleFromQuestion } from './titles';
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
