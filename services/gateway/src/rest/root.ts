import { z } from 'zod';

import { defineRoute } from './route';

export const WELCOME_MESSAGE =
  'Chào mừng đến với API của hệ thống RAG. Truy cập /docs để xem tài liệu API.';

export const rootRoutes = [
  defineRoute({
    method: 'get',
    path: '/',
    summary: 'Welcome message',
    tags: ['root'],
    auth: 'none',
    responses: { 200: { description: 'Welcome', schema: z.object({ message: z.string() }) } },
    handler: () => Promise.resolve({ message: WELCOME_MESSAGE }),
  }),
];
