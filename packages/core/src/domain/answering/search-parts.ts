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

/**
 * The searches for a question the follow-up rewrite changed into `query`. An elliptic follow-up
 * restated as the previous question ("And 502?" → "What does the 502 status code mean?") is also
 * searched as it was asked: its own words are its focus, and in the restated question the words it
 * repeats can outweigh them ("status code" over "502"). Any other rewrite is one search.
 */
export function followUpSearches(question: string, query: string, restated: boolean): string[] {
  return restated && query !== question ? [query, question] : [query];
}
