import type { Logger } from 'pino';

type GuardedProcess = Pick<NodeJS.Process, 'on'>;

/**
 * A stray rejection or throw from one request's async work must fail that request, not the process:
 * log it (with the error) and keep serving. Errors outside requests are rare here (start-up has its own
 * handling) and a supervisor still restarts the process if the database gives up (it exits on its own).
 */
export function installProcessGuards(log: Logger, proc: GuardedProcess = process) {
  proc.on('unhandledRejection', (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection (kept serving)');
  });
  proc.on('uncaughtException', (err: Error, origin: string) => {
    log.error({ err, origin }, 'uncaught exception (kept serving)');
  });
}
