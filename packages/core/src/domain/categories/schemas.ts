import { z } from 'zod';

/** `CategoryStatsResponse` of the API document, plus the count of files without a category. */
export const CategoryStatsResponse = z.object({
  total_documents: z.number().int().meta({
    description: "The caller's indexed files, categorised or not",
  }),
  documents_by_category: z.record(z.string(), z.number().int()).meta({
    description: 'Files per category; files without a category are not in it',
  }),
  categories: z.array(z.string()).meta({
    description: 'The categories the caller uses, most files first (then by name)',
  }),
  uncategorized_documents: z.number().int().meta({
    description: 'Files without a category: total_documents = sum(documents_by_category) + this',
  }),
});
export type CategoryStatsResponse = z.infer<typeof CategoryStatsResponse>;
