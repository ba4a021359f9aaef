import type { Deps } from '@rag/core';

import { askRoutes } from './ask';
import { authRoutes } from './auth';
import { categoryRoutes } from './categories';
import { conversationRoutes } from './conversations';
import { emailSyncRoutes } from './email-sync';
import { fileContentRoutes } from './file-content';
import { fileRoutes } from './files';
import { fileProgressRoutes } from './files-progress';
import { indexingRoutes } from './indexing';
import { healthRoutes } from './health';
import { rootRoutes } from './root';
import { sqlRoutes } from './sql';
import type { RouteGroup } from './route';

/** Every REST route of the contract, grouped by mount prefix. Each domain adds its routes here. */
export function restGroups(deps: Deps): RouteGroup[] {
  return [
    { prefix: '', routes: healthRoutes(deps) },
    {
      prefix: deps.env.API_PREFIX,
      routes: [
        ...rootRoutes,
        ...authRoutes(),
        ...askRoutes,
        ...fileRoutes(deps),
        ...fileContentRoutes(deps),
        ...fileProgressRoutes,
        ...indexingRoutes,
        ...categoryRoutes,
        ...sqlRoutes,
        ...conversationRoutes,
      ],
    },
    { prefix: '/api/v1', routes: [...emailSyncRoutes] },
  ];
}
