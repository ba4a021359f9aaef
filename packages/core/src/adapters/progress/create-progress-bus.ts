import type { Logger } from 'pino';

import type { Database } from '../../db/database';
import type { Env } from '../../env';
import type { ProgressBus } from '../../ports/progress-bus';
import { createInProcessProgressBus } from './in-process-bus';
import { createPgNotifyProgressBus } from './pg-notify-bus';

/** PROGRESS_BUS, else LISTEN/NOTIFY on a shared Postgres and in-process on the embedded database. */
export function createProgressBus(env: Env, database: Database, log: Logger): ProgressBus {
  const kind =
    env.PROGRESS_BUS === 'auto'
      ? database.kind === 'postgres'
        ? 'postgres'
        : 'memory'
      : env.PROGRESS_BUS;
  return kind === 'postgres'
    ? createPgNotifyProgressBus(database, log)
    : createInProcessProgressBus();
}
