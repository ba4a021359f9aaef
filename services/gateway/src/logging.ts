import { pino, type Logger } from 'pino';

import type { Env } from '@rag/core';

/** JSON lines for machines; pino-pretty (in this thread, no transport worker) for a person at a terminal. */
export async function createLogger(
  env: Pick<Env, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  isTty: boolean,
): Promise<Logger> {
  const human = env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && isTty);
  const options = { level: env.LOG_LEVEL, base: undefined };
  if (!human) return pino(options);
  const { default: pretty } = await import('pino-pretty');
  return pino(
    options,
    pretty({ colorize: isTty, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }),
  );
}
