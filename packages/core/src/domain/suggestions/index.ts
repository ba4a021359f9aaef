export { suggestQuestions } from './suggest-questions';
export { DEFAULT_SUGGESTIONS } from './defaults';
export { SuggestionResponse, SuggestionsQuery } from './schemas';
