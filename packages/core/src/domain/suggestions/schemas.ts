import { z } from 'zod';

export const SuggestionsQuery = z.object({
  num_suggestions: z.coerce.number().int().min(1).max(10).default(3),
});
export type SuggestionsQuery = z.infer<typeof SuggestionsQuery>;

export const SuggestionResponse = z.object({
  /** Exactly `num_suggestions` questions. */
  suggestions: z.array(z.string()),
  /** The conversation the suggestions continue, when they come from history. */
  conversation_id: z.string().nullable(),
  from_history: z.boolean(),
});
export type SuggestionResponse = z.infer<typeof SuggestionResponse>;
