import { appendFileSync } from 'node:fs';

export type LogLevel = 'INFO' | 'WARNING' | 'ERROR';

export type SyncLog = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** "2026-01-02 03:04:05,678": the layout of Python logging's asctime, always in UTC. */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** One line in the documented format: "time - level - message". */
export function formatLine(level: LogLevel, message: string, now = new Date()): string {
  return `${formatTime(now)} - ${level} - ${message}`;
}

/**
 * Writes every line to stdout (or stderr for errors) and appends it to `file` (e.g. email_sync.log).
 * Appends are synchronous so a line is on disk even if the process exits right after.
 */
export function createSyncLog(opts: { file: string | null; echo?: boolean }): SyncLog {
  const write = (level: LogLevel, message: string) => {
    const line = formatLine(level, message);
    if (opts.echo !== false)
      (level === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
    if (opts.file) {
      try {
        appendFileSync(opts.file, `${line}\n`);
      } catch (err) {
        process.stderr.write(`cannot write ${opts.file}: ${(err as Error).message}\n`);
      }
    }
  };
  return {
    info: (m) => write('INFO', m),
    warn: (m) => write('WARNING', m),
    error: (m) => write('ERROR', m),
  };
}
