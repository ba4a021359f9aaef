export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { CRON_MESSAGES, runCronJob } from './cron';
export { createDatabaseBackend } from './database-backend';
export { createGatewayBackend, createServiceClient, type GatewayOptions } from './gateway-backend';
export { createSyncLog, formatLine, formatTime, type SyncLog } from './log';
export { serviceKeyFor } from './service-key';
export type { SyncBackend, WatchHandlers } from './sync-backend';
export { startSyncService, type SyncService, type SyncServiceOptions } from './sync-service';
