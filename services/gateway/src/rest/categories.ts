import { CategoryStatsResponse } from '@rag/core/contract';

import { defineRoute } from './route';

export const categoryRoutes = [
  defineRoute({
    method: 'get',
    path: '/categories/stats',
    summary: "The caller's documents per category",
    description:
      "Counts the caller's indexed files (what `GET /files` lists). A file without a category counts in " +
      '`total_documents` and `uncategorized_documents`, and in no category of `documents_by_category`.',
    tags: ['files'],
    auth: 'bearer',
    responses: { 200: { description: 'Category statistics', schema: CategoryStatsResponse } },
    handler: async ({ call }) => (await call()).categories.stats(),
  }),
];
