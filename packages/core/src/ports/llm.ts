/** The languages answers are produced in (the question's; see domain/answering). */
export type { Language } from '../domain/answering/languages';
import type { Language } from '../domain/answering/languages';

/** One retrieved passage handed to the answerer, in rank order. */
export type LlmSource = {
  /** Original filename (citations name it; never a server path). */
  filename: string;
  /** 1-based page for paged documents, else null. */
  page: number | null;
  pageLabel: string | null;
  section: string | null;
  content: string;
  score: number;
};

/** One earlier message of the conversation, oldest first. */
export type LlmTurn = { role: 'user' | 'assistant'; content: string };

export type AnswerInput = {
  /** The question as the user asked it. */
  question: string;
  /** The standalone query retrieval used (the question itself unless it was rewritten). */
  query: string;
  /**
   * The question restated on its own by `rewriteQuery` (an elliptic "And 502?" as "What does the
   * 502 status code mean?"); absent or the question itself when it was not restated.
   */
  standalone?: string;
  sources: LlmSource[];
  history: LlmTurn[];
  language: Language;
  signal?: AbortSignal;
};

/** A follow-up made standalone. */
export type StandaloneQuery = {
  /** What to search for (the question itself when it stands alone). */
  query: string;
  /** The question to answer: the follow-up restated on its own when it could be, else as asked. */
  question: string;
};

export type RewriteInput = {
  question: string;
  history: LlmTurn[];
  language: Language;
  signal?: AbortSignal;
};

export type RelatedInput = {
  question: string;
  answer: string;
  sources: LlmSource[];
  language: Language;
  count: number;
  signal?: AbortSignal;
};

export type SuggestInput = {
  /** Recent messages of the conversation the suggestions continue (may be empty). */
  history: LlmTurn[];
  /** Passages from the user's own documents to draw topics from (may be empty). */
  sources: LlmSource[];
  language: Language;
  count: number;
  signal?: AbortSignal;
};

export type TitleInput = {
  /** The conversation's first question. */
  question: string;
  language: Language;
  signal?: AbortSignal;
};

export type SqlReviewInput = {
  /** The statement as the user sent it. */
  sql: string;
  /** The parser's dialect, e.g. `PostgreSQL`. */
  dialect: string;
  /** What the parser found (tables, columns, each check's finding), one fact a line. */
  facts: string[];
  /** Schema context (DDL from the user's `.sql` file or their free text), possibly empty. */
  schema: string;
  language: Language;
  signal?: AbortSignal;
};

/**
 * Produces answers and the small texts around them. Two adapters: the extractive answerer (default,
 * no model) and an OpenAI-compatible chat model. Failures are thrown as `AppError`
 * (`UPSTREAM_FAILED` / `RATE_LIMITED` / `UNAVAILABLE`) with a user-facing message; an aborted signal
 * ends `streamAnswer` quietly after the text produced so far.
 */
export interface Llm {
  /** For the start-up log, e.g. `extractive` or `openai:gpt-4o-mini`. */
  readonly name: string;
  /** Streams the answer as text deltas, grounded in `sources`, in `language`. */
  streamAnswer(input: AnswerInput): AsyncIterable<string>;
  /**
   * Rewrites a follow-up question into a standalone query using the history (once per ask: the
   * answer is given the result); returns the question unchanged when it already stands alone.
   */
  rewriteQuery(input: RewriteInput): Promise<StandaloneQuery>;
  /** Up to `count` follow-up questions (callers pad to the exact number). */
  relatedQuestions(input: RelatedInput): Promise<string[]>;
  /** Up to `count` questions the user could ask next (callers pad to the exact number). */
  suggestQuestions(input: SuggestInput): Promise<string[]>;
  /** A short conversation title for the first question; null when there is no model (or it failed). */
  conversationTitle(input: TitleInput): Promise<string | null>;
  /**
   * A reviewer's analysis of a SQL statement grounded in the parser's facts; null when there is no
   * model (or it failed): the parser's own analysis then stands alone.
   */
  reviewSql(input: SqlReviewInput): Promise<string | null>;
}
