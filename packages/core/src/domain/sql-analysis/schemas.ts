import { z } from 'zod';

/** `SQLAnalysisRequest` of the API document. */
export const SQLAnalysisRequest = z.object({
  sql_query: z.string().trim().min(1).max(100_000).meta({ description: 'The SQL to analyse' }),
  database_context: z
    .string()
    .trim()
    .max(20_000)
    .nullish()
    .meta({
      description:
        'Optional context: the dialect/version ("PostgreSQL 16", "MySQL 8"), schema DDL, or the `file_id` ' +
        "of one of the caller's uploaded .sql files whose DDL is used as schema context",
    }),
});
export type SQLAnalysisRequest = z.infer<typeof SQLAnalysisRequest>;

/** `SQLAnalysisResponse` of the API document. */
export const SQLAnalysisResponse = z.object({
  query: z.string(),
  analysis: z.string(),
  suggestions: z.array(z.string()),
  optimized_query: z.string().nullable(),
});
export type SQLAnalysisResponse = z.infer<typeof SQLAnalysisResponse>;
