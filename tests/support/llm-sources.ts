import { composeExtractiveAnswer } from '../../packages/core/src/adapters/llm/extractive-answer';
import type { Language, LlmSource } from '../../packages/core/src/ports/llm';

/** A retrieved passage as the answerer sees it (a Markdown file, no page, top score, unless given). */
export const source = (content: string, extra: Partial<LlmSource> = {}): LlmSource => ({
  filename: 'doc.md',
  page: null,
  pageLabel: null,
  section: null,
  content,
  score: 1,
  ...extra,
});

/** The extractive answer to `question` from `sources` (the search query defaults to the question). */
export const ask = (question: string, sources: LlmSource[], language: Language, query = question) =>
  composeExtractiveAnswer({ question, query, sources, language });
