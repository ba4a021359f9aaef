export { detectLanguage, LANGUAGES, type Language } from './languages';
export { foldTerm, tokens, type Token } from './segment';
export { isStopWord } from './stop-words';
export { answerType, hasSpan, type AnswerType } from './question-type';
