export { detectLanguage, LANGUAGES, type Language } from './languages';
export { foldTerm, tokens, type Token } from './segment';
export { isStopWord } from './stop-words';
export {
  answerType,
  asksDefinition,
  findSpan,
  hasSpan,
  isKindWord,
  type AnswerType,
} from './question-type';
export {
  anchorGroups,
  anchorSpans,
  anchorTerms,
  isCognate,
  namesAnchor,
  sameStem,
} from './anchors';
export { sameVerb } from './irregular-verbs';
export { subQuestions } from './sub-questions';
export { bridgeCount, bridgeTarget, bridgeTerms, bridgedQuery, type Bridge } from './lexicon';
export { searchParts } from './search-parts';
export {
  ellipticNames,
  ellipticPhrase,
  hasDemonstrative,
  hasOuterReference,
  nameShape,
  opensAsContinuation,
} from './refers-back';
