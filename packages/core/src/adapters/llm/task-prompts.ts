import type { SqlReviewInput, TitleInput } from '../../ports/llm';
import { LANGUAGE_NAME } from './citation';
import type { ChatMessage } from './grounded-prompt';

/** Bounds what a review prompt carries (the statement and the schema context). */
const MAX_SQL_CHARS = 12_000;
const MAX_SCHEMA_CHARS = 12_000;

/** Asks for a conversation title: a few words naming the topic, in the question's language. */
export function buildTitleMessages({ question, language }: TitleInput): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'Write a title for a conversation that starts with the question below: 3 to 8 words naming its ' +
        `topic, in ${LANGUAGE_NAME[language]}, no quotes, no final punctuation. Reply with the title only.`,
    },
    { role: 'user', content: question.slice(0, 2000) },
  ];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}\n…` : text);

/**
 * Asks for a SQL review grounded in what the parser established: the model may explain and add to the
 * findings, but is told they are facts and to say when the schema context does not settle a point.
 */
export function buildSqlReviewMessages(input: SqlReviewInput): ChatMessage[] {
  const schema = input.schema.trim()
    ? `Schema context:\n${clip(input.schema, MAX_SCHEMA_CHARS)}`
    : 'No schema context was given: do not assume indexes or column types you cannot see.';
  return [
    {
      role: 'system',
      content:
        `You review SQL (${input.dialect}) for correctness and performance. A parser has already analysed ` +
        'the statement; its findings are facts, do not contradict them. Explain the most important ' +
        'problems and their fixes briefly, add what the parser could not know (index use given the ' +
        'schema, selectivity), and never invent tables or columns. Write in ' +
        `${LANGUAGE_NAME[input.language]}, plain text, at most 12 short lines.`,
    },
    {
      role: 'user',
      content: [
        `Statement:\n${clip(input.sql, MAX_SQL_CHARS)}`,
        `Parser findings:\n${input.facts.map((f) => `- ${f}`).join('\n')}`,
        schema,
      ].join('\n\n'),
    },
  ];
}
