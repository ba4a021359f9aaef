/** The language an answer should use: the question's (see domain/answering/languages.ts). */
export { detectLanguage } from '../answering';
