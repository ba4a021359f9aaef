import { createDatabaseBackend } from './database-backend';
import { startUp } from './entry';
import { serviceKeyFor } from './service-key';
import { createGatewayBackend } from './gateway-backend';
import type { SyncBackend } from './sync-backend';
import { startSyncService } from './sync-service';

// `pnpm email-sync`: the standalone sync service (see README "E-mail sync").
async function main() {
  const { env, log } = startUp(process.env.INIT_CWD);
  const useDatabase =
    env.EMAIL_SYNC_MODE === 'database' || (env.EMAIL_SYNC_MODE === 'auto' && !!env.DATABASE_URL);
  let backend: SyncBackend;
  if (useDatabase) {
    if (!env.DATABASE_URL) {
      log.error('EMAIL_SYNC_MODE=database needs DATABASE_URL');
      process.exit(1);
    }
    backend = await createDatabaseBackend({ ...env, DATABASE_URL: env.DATABASE_URL });
  } else {
    backend = createGatewayBackend({
      gatewayUrl: env.GATEWAY_URL,
      serviceKey: serviceKeyFor(env, process.env.INIT_CWD),
    });
  }
  log.info(`Email sync service started: ${backend.name}; sweep every ${env.SYNC_INTERVAL_S} s`);
  const service = startSyncService({ backend, log, intervalMs: env.SYNC_INTERVAL_S * 1000 });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing the running sync, then stopping`);
    void service.stop().then(
      () => {
        log.info(`Email sync service stopped (${service.stats.synced} rows synced this run)`);
        process.exit(0);
      },
      (err: unknown) => {
        log.error(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Email sync service failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
