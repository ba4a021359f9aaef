import { IndexingStatusResponse } from '@rag/core/contract';

import { defineRoute } from './route';

export const indexingRoutes = [
  defineRoute({
    method: 'get',
    path: '/indexing/status',
    summary: "The caller's document indexing status",
    description:
      "`status`: `idle` before any upload, `running` while one of the caller's jobs is queued or running, " +
      '`completed` when the last one ended indexed, `error` when it failed (`message` names the file and ' +
      "why). `processed_files` counts the caller's uploads that ended indexed (identical re-uploads " +
      'included); `failed_files`, `pending_files`, `running_files`, `current_file` (stage, done/total) and ' +
      '`last_error` add detail.',
    tags: ['files'],
    auth: 'bearer',
    responses: { 200: { description: 'Status', schema: IndexingStatusResponse } },
    handler: async ({ call }) => (await call()).indexing.status(),
  }),
];
