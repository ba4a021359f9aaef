import type { Deps } from './ports/deps';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

import { pino } from 'pino';

import { createAuthProvider } from './adapters/auth/create-auth-provider';
import { loadServiceKey } from './adapters/auth/service-key';
import { createEmbedder } from './adapters/embedding/create-embedder';
import { createLlm } from './adapters/llm/create-llm';
import { createNoopMailer } from './adapters/mail/noop-mailer';
import { createOutboxMailer } from './adapters/mail/outbox-mailer';
import { createDiskBlobStore } from './adapters/storage/disk-blob-store';
import { createPrometheusTelemetry, ingestionObserver } from './adapters/telemetry';
import type { Bm25Cache } from './adapters/vector/bm25-cache';
import { createVectorIndex } from './adapters/vector/create-vector-index';
import { openPgliteWorker, openPostgres, type Database } from './db/database';
import { startEmbeddedWorker, type PgliteWorkerProxy } from './db/pglite-start';
import { createPostgresConversationStore } from './adapters/postgres/conversation-store';
import { createPostgresEmailSyncStore } from './adapters/postgres/email-sync-store';
import { createPostgresInsertFeed } from './adapters/postgres/insert-feed';
import { createPostgresJobStore } from './adapters/postgres/job-store';
import { createPostgresFileStore } from './adapters/postgres/file-store';
import { createPostgresAskTargetLookup } from './adapters/postgres/ask-target-lookup';
import { createPostgresLoginAttempts } from './adapters/postgres/login-attempts';
import { createPostgresMessageStore } from './adapters/postgres/message-store';
import { createProgressBus } from './adapters/progress/create-progress-bus';
import { createIngestPool } from './adapters/workers/ingest-pool';
import { createSqlReviewPool } from './adapters/workers/sql-review-pool';
import type { Env } from './env';
import { systemClock } from './ports/clock';
import type { Telemetry } from './ports/telemetry';
import type { VectorIndex } from './ports/vector-index';
import { createJobRunner } from './domain/jobs/job-runner';
import { recoverJobs } from './domain/jobs/recover-jobs';
import { ensureIndexSignature } from './domain/files/index-signature';
import { createPostgresChunkStore } from './adapters/postgres/chunk-store';
import { createEmbeddedMaintenance } from './adapters/postgres/embedded-maintenance';
import { reconcileIngestion } from './domain/files/reconcile';
import { createUserSlots } from './lib/user-slots';
import { reconcileUnansweredQuestions } from './domain/ask/reconcile-answers';
import { preloadLanguageDetector } from './lib/language-detector';
import { memoryBudget, type MemoryBudget } from './lib/memory-budget';

/** Worker threads by default: one core stays with the event loop; at least 1, at most 4. */
export function defaultIngestWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Test and embedding hooks: pass an already-open database, a clock or a logger. */
export type DepsOverrides = Partial<
  Pick<Deps, 'database' | 'clock' | 'log' | 'embedder' | 'llm' | 'mailer' | 'telemetry'>
> & {
  /** The embedded database's worker, already started by the caller (boots while modules load). */
  embeddedWorker?: PgliteWorkerProxy;
  /** Called as each start-up phase ends (the gateway logs where start-up time goes). */
  mark?: (phase: string) => void;
};

/** The one composition root: picks every adapter from validated config. */
export async function createDeps(env: Env, overrides: DepsOverrides = {}): Promise<Deps> {
  const log = overrides.log ?? pino({ level: env.LOG_LEVEL, base: undefined });
  const clock = overrides.clock ?? systemClock;
  const dataDir = resolve(env.DATA_DIR);
  const database =
    overrides.database ??
    (env.DATABASE_URL
      ? await openPostgres(env.DATABASE_URL, env.DATABASE_POOL_MAX)
      : await openPgliteWorker(overrides.embeddedWorker ?? startEmbeddedWorker(env)));
  const mark = overrides.mark ?? (() => undefined);
  mark('database open');
  if (overrides.embeddedWorker?.seeded)
    log.debug({ dataDir }, "embedded database created from the build's template (no initdb)");
  const usesPgvector = !env.QDRANT_URL;
  await database.migrate({ skip: usesPgvector ? [] : ['pgvector-index'] });
  const db = database.db;
  mark('migrations');

  const mailer =
    overrides.mailer ??
    (env.SMTP_URL
      ? (await import('./adapters/mail/smtp-mailer')).createSmtpMailer(env.SMTP_URL, env.MAIL_FROM)
      : createOutboxMailer(db, log));
  const auth = await createAuthProvider({ env, db, mailer, clock, log, dataDir });
  const serviceKey = loadServiceKey(env.SERVICE_API_KEY, dataDir);
  const blobs = createDiskBlobStore(join(dataDir, 'files'));
  const files = createPostgresFileStore(db);
  const embedder = overrides.embedder ?? (await createEmbedder(env));
  const chunks = createPostgresChunkStore(db);
  await ensureIndexSignature(chunks, embedder, usesPgvector ? 'pgvector' : 'qdrant');
  const vectorIndex = await createVectorIndex({ env, db, embedder, log });
  await vectorIndex.init();
  mark('auth, vector index');
  const llm = overrides.llm ?? (await createLlm(env));
  const jobs = createPostgresJobStore(db);
  const progress = createProgressBus(env, database, log);
  const workers = env.INGEST_WORKERS ?? defaultIngestWorkers();
  const ingestPool = createIngestPool({
    size: workers,
    memoryMb: env.INGEST_WORKER_MEMORY_MB,
    embeds: !overrides.embedder,
  });
  // Inline when ingestion is (INGEST_WORKERS=0), else one thread of its own.
  const sqlReviewer = createSqlReviewPool({
    size: workers > 0 ? 1 : 0,
    timeoutMs: env.SQL_REVIEW_TIMEOUT_S * 1000,
    onError: (err) => log.error({ err }, 'SQL review thread failed'),
  });
  // The pool bounds the work, so more concurrent jobs than workers would only queue inside it.
  const concurrency = Math.min(
    env.INGEST_CONCURRENCY ?? Math.max(1, workers),
    Math.max(1, workers),
  );
  const jobRunner = createJobRunner(
    { env, log, clock, files, blobs, embedder, vectorIndex, jobs, chunks, progress, ingestPool },
    {
      concurrency,
      leaseSeconds: env.JOB_LEASE_S,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      retentionDays: env.JOB_RETENTION_DAYS,
    },
  );
  // Postgres's background workers vacuum and checkpoint; the embedded database has none.
  const maintenance =
    database.kind === 'pglite' && env.PGLITE_MAINTENANCE_INTERVAL_S > 0
      ? createEmbeddedMaintenance(db, {
          // A run that held the database for seconds is worth seeing at the default level.
          onRun: (run) =>
            log[run.ms > 1000 ? 'info' : 'debug'](run, 'embedded database maintenance'),
          onError: (err) => log.warn({ err }, 'embedded database maintenance failed'),
        })
      : undefined;
  const telemetry = overrides.telemetry ?? createTelemetry(database, vectorIndex);
  const stopObserving = await progress.listen(ingestionObserver(telemetry));

  const deps: Deps = {
    env,
    log,
    clock,
    database,
    db,
    dataDir,
    auth,
    loginAttempts: createPostgresLoginAttempts(db),
    conversations: createPostgresConversationStore(db),
    messages: createPostgresMessageStore(db),
    emailSync: createPostgresEmailSyncStore(db),
    insertFeed: createPostgresInsertFeed(database),
    serviceKey,
    mailer,
    files,
    askTargets: createPostgresAskTargetLookup(db),
    blobs,
    embedder,
    vectorIndex,
    llm,
    telemetry,
    jobs,
    chunks,
    progress,
    ingestPool,
    jobRunner,
    askSlots: createUserSlots(env.ASK_CONCURRENCY_PER_USER),
    sqlReviewer,
    async close() {
      await jobRunner.stop();
      await stopObserving();
      await ingestPool.close();
      await sqlReviewer.close();
      await progress.close();
      await maintenance?.stop();
      await vectorIndex.close();
      await database.close();
    },
  };
  await recoverJobs(deps);
  await reconcileIngestion(deps);
  await reconcileUnansweredQuestions(deps);
  mark('reconcile');
  await deps.jobRunner.start();
  maintenance?.start(env.PGLITE_MAINTENANCE_INTERVAL_S * 1000);
  return deps;
}

/** What the standalone e-mail sync service runs on (database mode: the shared Postgres). */
export type EmailSyncServiceDeps = Pick<
  Deps,
  'log' | 'clock' | 'auth' | 'emailSync' | 'insertFeed'
> & { close(): Promise<void> };

/**
 * The e-mail sync service's deps, from the same adapters as the gateway's: the shared Postgres, the
 * same auth provider (local users table or Supabase) and the sync's store and insert feed. It does
 * not migrate: the gateway owns the schema (until the tables exist, syncs fail and the service
 * backs off). No mail is ever sent from it.
 */
export async function createEmailSyncDeps(
  env: Env & { DATABASE_URL: string },
  overrides: Partial<Pick<Deps, 'log' | 'clock'>> = {},
): Promise<EmailSyncServiceDeps> {
  const log = overrides.log ?? pino({ level: env.LOG_LEVEL, base: undefined });
  const clock = overrides.clock ?? systemClock;
  const database = await openPostgres(env.DATABASE_URL, 3);
  const auth = await createAuthProvider({
    env,
    db: database.db,
    mailer: createNoopMailer('the e-mail sync service'),
    clock,
    log,
    dataDir: resolve(env.DATA_DIR),
  });
  return {
    log,
    clock,
    auth,
    emailSync: createPostgresEmailSyncStore(database.db),
    insertFeed: createPostgresInsertFeed(database),
    close: () => database.close(),
  };
}

function createTelemetry(database: Database, vectorIndex: VectorIndex): Telemetry {
  const pool = database.pool;
  const cache = (vectorIndex as { keywordCache?: Bm25Cache }).keywordCache;
  return createPrometheusTelemetry({
    bm25Cache: cache && (() => cache.stats),
    pool:
      pool &&
      (() => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: pool.options.max ?? 10,
      })),
  });
}

/**
 * Work that makes the first requests fast but must not delay listening (issue 13 item 2): the BM25
 * postings of the busiest users, the language detector. Runs in the background.
 */
export function warmUp(deps: Deps): void {
  deps.vectorIndex.warm?.();
  preloadLanguageDetector().catch((err: unknown) =>
    deps.log.warn({ err }, 'language detector failed to preload'),
  );
}

function describeBudget({ ceilingMiB, parts }: MemoryBudget): string {
  const list = Object.entries(parts).map(([part, mib]) => `${part} ${mib}`);
  return `at most ~${ceilingMiB} MiB (${list.join(', ')})`;
}

/** What the start-up log prints: which adapter serves each port. */
export function describeAdapters(deps: Deps) {
  return {
    database:
      deps.database.kind === 'pglite'
        ? `PGlite + pgvector (${join(deps.dataDir, 'pg')})`
        : 'Postgres (DATABASE_URL)',
    auth: deps.auth.name,
    vectorIndex: deps.vectorIndex.name,
    embedder: `${deps.embedder.id} (${deps.embedder.dimensions} dimensions)`,
    llm: deps.llm.name,
    mail: deps.mailer.name,
    files: deps.blobs.name,
    metrics: deps.telemetry.name,
    ingestion: `${deps.ingestPool.name}; ${deps.jobRunner.concurrency} job(s) at once; progress ${deps.progress.name}`,
    memory: describeBudget(
      memoryBudget(deps.env, deps.ingestPool.size, deps.database.kind === 'pglite'),
    ),
  };
}
