export { askQuestion, streamAnswer, MSG_ASK_FAILED, type AskDeps } from './ask-stream';
export { prepareAsk, MSG_NO_FILE, type PreparedAsk } from './prepare-ask';
export { detectLanguage } from './language';
export { reconcileUnansweredQuestions } from './reconcile-answers';
export { retrieve, toLlmSource, toSource, DEFAULT_SOURCES } from './retrieve';
export { fillQuestions, FALLBACK_RELATED } from './fill-questions';
export {
  AskInput,
  AskNoFileBody,
  AskQuery,
  ContentEvent,
  EndEvent,
  ErrorEvent,
  QuestionRequest,
  SEARCH_TYPES,
  SourcesEvent,
  StartEvent,
  type AskEvent,
  type SearchType,
} from './schemas';
