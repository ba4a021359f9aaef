import type { Server } from 'node:http';

import { startEmbeddedWorker } from '@rag/core/embedded-db';
import { EnvError, readProcessEnv } from '@rag/core/env';

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let env;
  try {
    env = readProcessEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // The embedded database boots in its worker thread while the rest of the server loads (start-up time).
  const embeddedWorker = env.DATABASE_URL ? undefined : startEmbeddedWorker(env);
  const [
    { createDeps, warmUp },
    { createApp },
    { printBanner },
    { answerClientErrors },
    { createLogger },
    { installProcessGuards },
  ] = await Promise.all([
    import('@rag/core'),
    import('./app'),
    import('./banner'),
    import('./client-errors'),
    import('./logging'),
    import('./process-guards'),
  ]);
  const marks: [string, number][] = [['modules', performance.now()]];
  const mark = (phase: string) => marks.push([phase, performance.now()]);
  const deps = await createDeps(env, {
    log: await createLogger(env, process.stdout.isTTY === true),
    embeddedWorker,
    mark,
  });
  installProcessGuards(deps.log);
  // The embedded database failed for good: keep answering 503 (and /health unhealthy) briefly, then
  // exit non-zero so a supervisor restarts the server on a database it can open.
  deps.database.onFatal?.((err) => {
    const graceMs = env.PGLITE_FAILURE_GRACE_S * 1000;
    deps.log.fatal({ err, exitInMs: graceMs }, 'the embedded database failed; exiting');
    setTimeout(() => process.exit(1), graceMs).unref();
  });
  const app = createApp(deps);
  const server: Server = app.listen(env.PORT, env.HOST);
  answerClientErrors(server, deps.log);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  mark('listening');
  printBanner(deps, base);
  // Where start-up time went (ms since the process started), for `pnpm bench startup` and operators.
  deps.log.debug(
    { startupMs: Object.fromEntries(marks.map(([phase, at]) => [phase, Math.round(at)])) },
    'start-up timings',
  );
  warmUp(deps);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    server.close(() => {
      void deps.close().then(() => {
        deps.log.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
