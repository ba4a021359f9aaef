import type { Language, Llm, LlmSource } from '../../ports/llm';
import { fallbackRelated, fillQuestions } from './fill-questions';

export const RELATED_COUNT = 3;

/** Exactly three follow-ups: the answerer's, then the fixed fallbacks in the question's language. */
export async function relatedQuestions(
  llm: Llm,
  input: {
    question: string;
    answer: string;
    sources: LlmSource[];
    language: Language;
    signal?: AbortSignal;
  },
): Promise<string[]> {
  let generated: string[] = [];
  try {
    generated = await llm.relatedQuestions({ ...input, count: RELATED_COUNT });
  } catch {
    // Follow-ups decorate an answer that is already complete; the fixed ones stand in.
  }
  return fillQuestions(
    RELATED_COUNT,
    [generated, fallbackRelated(input.language)],
    [input.question],
  );
}
