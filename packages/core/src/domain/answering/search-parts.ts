import { bridgedQuery } from './lexicon';
import type { Language } from './languages';
import { subQuestions } from './sub-questions';

/**
 * The searches one question needs: each thing it asks ("… and …?") on its own, and for an English or
 * Vietnamese question also its rendering in the other language, so a Vietnamese question finds the
 * English page that answers it (the hits of all searches are interleaved).
 */
export function searchParts(question: string, language: Language): string[] {
  const parts = subQuestions(question, language);
  const bridged = bridgedQuery(question, language);
  return bridged ? [...parts, bridged] : parts;
}
