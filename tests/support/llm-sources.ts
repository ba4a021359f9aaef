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

/** Real rows of Chinook_PostgreSql.sql: one INSERT of three employees. */
export const CHINOOK_EMPLOYEES = source(
  'INSERT INTO employee (employee_id, last_name, first_name, title, email) VALUES\n' +
    "    (1, N'Adams', N'Andrew', N'General Manager', N'andrew@chinookcorp.com'),\n" +
    "    (6, N'Mitchell', N'Michael', N'IT Manager', N'michael@chinookcorp.com'),\n" +
    "    (7, N'King', N'Robert', N'IT Staff', N'robert@chinookcorp.com');",
  { filename: 'chinook.sql' },
);
