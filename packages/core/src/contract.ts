// `@rag/core/contract`: the request and response schemas (zod) of the REST and tRPC contract, for the
// gateway that renders routes and /openapi.json from them. Values only the wire needs; no behaviour.
export { AskNoFileBody, AskQuery, QuestionRequest } from './domain/ask';
export {
  AuthResponseSchema,
  ForgotPasswordRequestSchema,
  GoogleAuthRequestSchema,
  GoogleUrlQuerySchema,
  LoginRequestSchema,
  MessageResponseSchema,
  OAuthCallbackQuerySchema,
  OAuthResponseSchema,
  RefreshRequestSchema,
  ResetPasswordRequestSchema,
  SessionFailureSchema,
  SessionResponseSchema,
  SignUpRequestSchema,
  StatusResponseSchema,
  UrlResponseSchema,
  UserResponseSchema,
} from './domain/auth';
export { CategoryStatsResponse } from './domain/categories';
export {
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
} from './domain/conversations';
export {
  ChatHistoryRow,
  CheckSyncResult,
  CreateChatHistoryInput,
  SyncResult,
  UserChatEmailParams,
  UserChatList,
  UserChatPage,
  UserChatUserParams,
} from './domain/email-sync';
export {
  DeleteByFilterBody,
  DeleteByFilterResponse,
  FileDeleteResponse,
  FileListResponse,
  FileParams,
  FilterErrorBody,
  ResetCollectionResponse,
  StorageUsageResponse,
  UploadErrorBody,
  UploadForm,
  UploadResponse,
} from './domain/files';
export { FileContentParams, FilePageParams, FilePageResponse } from './domain/files-content';
export { FileProgressParams, IndexingStatusResponse, UploadAccepted } from './domain/jobs';
// The schemas only: the analyzer (SQL parser, formatter) loads on first use.
export { SQLAnalysisRequest, SQLAnalysisResponse } from './domain/sql-analysis/schemas';
export { SuggestionResponse, SuggestionsQuery } from './domain/suggestions';
