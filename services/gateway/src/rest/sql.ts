import { SQLAnalysisRequest, SQLAnalysisResponse } from '@rag/core/contract';
import { z } from 'zod';

import { defineRoute } from './route';

const ErrorBody = z.object({ detail: z.string() });

export const sqlRoutes = [
  defineRoute({
    method: 'post',
    path: '/sql/analyze',
    summary: 'Review a SQL statement',
    description:
      'Parses with a real SQL parser (dialect from `database_context`, else PostgreSQL then MySQL) and ' +
      'reports SELECT *, joins without conditions, UPDATE/DELETE without WHERE, functions on filtered ' +
      'columns, leading-wildcard LIKE, OR chains, NOT IN subqueries, ORDER BY / exploratory queries ' +
      'without LIMIT; `optimized_query` is formatted and safely rewritten. With an LLM configured its ' +
      "analysis is added. `database_context` may be the `file_id` of one of the caller's .sql files.",
    tags: ['sql'],
    auth: 'bearer',
    body: SQLAnalysisRequest,
    responses: {
      200: { description: 'The review', schema: SQLAnalysisResponse },
      400: { description: 'Invalid SQL: the parser’s position and message', schema: ErrorBody },
      404: {
        description: "database_context names a file that is not the caller's .sql file",
        schema: ErrorBody,
      },
    },
    handler: async ({ call, body }) => (await call()).sql.analyze(body),
  }),
];
