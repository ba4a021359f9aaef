export { createApp, API_INFO } from './app';
export { buildOpenApi } from './openapi';
export { installProcessGuards } from './process-guards';
