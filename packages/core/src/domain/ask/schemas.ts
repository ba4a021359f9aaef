import { z } from 'zod';

import { AskCategory } from '../categories';
import { SourceSchema } from '../conversations';

export const SEARCH_TYPES = ['semantic', 'keyword', 'hybrid'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** `QuestionRequest`, the body of `POST /ask/stream`. Unknown fields (e.g. `session_id`) are ignored. */
export const QuestionRequest = z.object({
  question: z.string().trim().min(1).max(8000),
  search_type: z
    .enum(SEARCH_TYPES)
    .nullish()
    .transform((v) => v ?? 'hybrid')
    .meta({ default: 'hybrid', description: 'semantic | keyword (BM25) | hybrid; default hybrid' }),
  /** Weight of the semantic score in hybrid search (0.7 = 70 % semantic, 30 % keyword). */
  alpha: z
    .number()
    .min(0)
    .max(1)
    .nullish()
    .transform((v) => v ?? 0.7)
    .meta({
      default: 0.7,
      description: 'Hybrid weight: alpha·semantic + (1 − alpha)·keyword; default 0.7',
    }),
  /** Accepted for compatibility and ignored: `file_id` selects the documents. */
  sources: z.array(z.string()).nullish(),
  file_id: z.array(z.string().trim().min(1).max(200)).max(500).nullish(),
  conversation_id: z.string().trim().min(1).max(200).nullish(),
  category: AskCategory,
});
export type QuestionRequest = z.infer<typeof QuestionRequest>;

/** The query string of `POST /ask/stream`. */
export const AskQuery = z.object({
  max_sources: z.coerce.number().int().min(1).max(50).optional(),
});
export type AskQuery = z.infer<typeof AskQuery>;

/** The `ask.stream` subscription's input: the body and the query in one object. */
export const AskInput = QuestionRequest.extend(AskQuery.shape);
export type AskInput = z.infer<typeof AskInput>;

/** The documented 400 body when no `file_id` was chosen. */
export const AskNoFileBody = z.object({
  status: z.literal('error'),
  message: z.string(),
  available_file_ids: z.array(z.string()),
  available_files: z.array(z.tuple([z.string(), z.string()])),
});

const ids = { question_id: z.string(), conversation_id: z.string() };

export const StartEvent = z.object({
  ...ids,
  search_type: z.enum(SEARCH_TYPES),
  file_id: z.array(z.string()),
});
export const SourcesEvent = z.object({
  ...ids,
  sources: z.array(SourceSchema),
  filtered_file_id: z.array(z.string()),
  /** Always empty; the original sent it. */
  filtered_sources: z.array(z.string()),
});
export const ContentEvent = z.object({ content: z.string() });
export const EndEvent = z.object({
  ...ids,
  /** Seconds from the request to the end of the answer. */
  processing_time: z.number(),
  related_questions: z.array(z.string()),
});
export const ErrorEvent = z.object({ ...ids, error: z.literal(true), message: z.string() });

/** Every event of an answer stream, in the order they are sent; `error` ends the stream early. */
export type AskEvent =
  | { event: 'start'; data: z.infer<typeof StartEvent> }
  | { event: 'sources'; data: z.infer<typeof SourcesEvent> }
  | { event: 'content'; data: z.infer<typeof ContentEvent> }
  | { event: 'end'; data: z.infer<typeof EndEvent> }
  | { event: 'error'; data: z.infer<typeof ErrorEvent> };
