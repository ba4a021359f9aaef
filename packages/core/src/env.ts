import { z } from 'zod';

import { MAX_CHUNK_CHARS } from './domain/files/chunk-limits';
import { parseTrustProxy, type TrustProxy } from './lib/net';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = z.url().optional();

/** Every setting the system reads. `parseEnv` is the only reader of `process.env`. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8001),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  API_PREFIX: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'must start with "/"')
    .default('/api')
    .transform((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p)),
  CORS_ORIGINS: z.string().default('*'),
  /** Reverse proxies in front of the gateway, whose `X-Forwarded-For` names the client (see `parseTrustProxy`). */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if (Array.isArray(parsed) || typeof parsed !== 'object') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: human-readable (pino-pretty) when stdout is a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  MAX_BODY_KB: z.coerce.number().int().positive().default(1024),
  /** The web app's build (index.html + assets/) served at /app; default services/web/dist. */
  WEB_APP_DIR: z.string().min(1).optional(),

  // Hardening (issue 10): request shape limits, login throttle ceilings, sessions per user.
  /** Most procedures one tRPC batch request may carry (each still counts on its own). */
  TRPC_MAX_BATCH: z.coerce.number().int().positive().default(20),
  /** Failed logins from one client address on one account before that pair is locked. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(50),
  /** Failed logins from one client address (all accounts) before the address is locked. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  /** Live refresh sessions per user; signing in past it revokes the oldest. */
  MAX_SESSIONS_PER_USER: z.coerce.number().int().positive().default(10),
  /** Free space DATA_DIR must keep: below it /health is unhealthy and uploads are refused (507). */
  MIN_FREE_DISK_MB: z.coerce.number().nonnegative().default(64),

  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),

  // Embedded database (PGlite in a worker thread, used when DATABASE_URL is unset).
  /** A database request left unanswered this long (no reply at all meanwhile) is taken for a hang. */
  PGLITE_STALL_TIMEOUT_S: z.coerce.number().positive().default(600),
  /** Once the embedded database has failed, requests get 503 this long; then the process exits 1. */
  PGLITE_FAILURE_GRACE_S: z.coerce.number().nonnegative().default(5),
  /** Postgres memory settings of the embedded database (they bound its share of RSS; see README). */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'a size such as 16MB')
    .default('32MB'),
  PGLITE_WORK_MEM: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'a size such as 16MB')
    .default('4MB'),
  PGLITE_MAINTENANCE_WORK_MEM: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'a size such as 16MB')
    .default('64MB'),
  /**
   * How often the embedded database checks for tables to vacuum or analyze and for a checkpoint due
   * (PGlite has no autovacuum and no checkpointer; see README). 0 turns it off.
   */
  PGLITE_MAINTENANCE_INTERVAL_S: z.coerce.number().nonnegative().default(60),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().positive().default(3600),
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  RESET_TOKEN_TTL_S: z.coerce.number().int().positive().default(3600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /** Whether new accounts may be created (sign-up, a first Google sign-in); false closes sign-up. */
  SIGNUP_ENABLED: bool.default(true),
  /** Comma-separated e-mail domains new accounts must belong to (exact match); empty: any domain. */
  SIGNUP_EMAIL_DOMAINS: z.string().default(''),
  /** Sign-up attempts one client address may make per `SIGNUP_WINDOW_S` (loopback not counted); 0: no limit. */
  SIGNUP_MAX_PER_ADDRESS: z.coerce.number().int().min(0).default(20),
  SIGNUP_WINDOW_S: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60),
  LOGIN_WINDOW_S: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  PUBLIC_URL: optionalUrl,
  AUTH_REDIRECT_ORIGINS: z.string().default(''),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().default('RAG <no-reply@localhost>'),

  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_ISSUER: z.url().default('https://accounts.google.com'),
  OIDC_ALLOW_INSECURE: bool.default(false),

  SUPABASE_URL: optionalUrl,
  SUPABASE_KEY: z.string().min(1).optional(),
  SUPABASE_SERVICE_KEY: z.string().min(1).optional(),

  MAX_UPLOAD_MB: z.coerce.number().positive().default(50),
  /** Bytes of documents one user may keep stored (as uploaded), in MB; 0: no limit. */
  USER_STORAGE_QUOTA_MB: z.coerce.number().min(0).default(0),
  /** Documents one user may keep; 0: no limit. */
  USER_MAX_FILES: z.coerce.number().int().min(0).default(0),
  /** Time budget (seconds) to parse, chunk and embed one uploaded document; beyond it, a 400. */
  PARSE_TIMEOUT_S: z.coerce.number().positive().default(300),
  /** OCR of PDF pages without a usable text layer (scans, fonts without ToUnicode): on by default. */
  OCR: z
    .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])
    .default('on')
    .transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes'),
  /** Tesseract languages (`+`-separated), each from the npm package `@tesseract.js-data/<code>`. */
  OCR_LANGUAGES: z
    .string()
    .regex(/^[a-z_]+(\+[a-z_]+)*$/, 'codes like eng+vie')
    .default('eng+vie'),
  /** Pages OCR-ed per document at most (the rest of the pages needing OCR are skipped). */
  OCR_MAX_PAGES: z.coerce.number().int().min(0).default(50),
  CHUNK_SIZE: z.coerce.number().int().min(100).max(MAX_CHUNK_CHARS).default(800),
  CHUNK_OVERLAP: z.coerce.number().int().min(0).max(2000).default(150),
  /** A paragraph up to this many characters is not cut (0 = never past CHUNK_SIZE); default 5 × CHUNK_SIZE, ≤ MAX_CHUNK_CHARS. */
  CHUNK_WHOLE_LIMIT: z.coerce.number().int().min(0).max(MAX_CHUNK_CHARS).optional(),

  // Ingestion jobs (issue 15.1) and the worker pool that parses and embeds off the event loop (10.4).
  /** Worker threads for parsing and hashing embeddings; default: cores − 1, at least 1, at most 4. 0 = inline. */
  INGEST_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /** Heap cap (MB) of each ingestion worker: a document needing more fails alone (400). */
  INGEST_WORKER_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  /** Answers one user may have in progress at once on this gateway; one more is refused (429). */
  ASK_CONCURRENCY_PER_USER: z.coerce.number().int().positive().max(1000).default(4),
  /** `sql.analyze`: a statement's parse and review still running after this many seconds is refused (400). */
  SQL_REVIEW_TIMEOUT_S: z.coerce.number().positive().max(600).default(10),
  /** Jobs this gateway runs at once; default (and at most) the worker count, or 1 inline. */
  INGEST_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** A claimed job's lease (seconds), renewed while it runs; once expired the job is retried elsewhere. */
  JOB_LEASE_S: z.coerce.number().positive().default(30),
  /** Tries before an interrupted job is failed (a document that kills its process each time). */
  JOB_MAX_ATTEMPTS: z.coerce.number().int().positive().default(3),
  /** Finished jobs are kept this many days (indexing status, progress of past uploads). */
  JOB_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** Upload progress fan-out: in-process, or Postgres LISTEN/NOTIFY (auto: NOTIFY on DATABASE_URL). */
  PROGRESS_BUS: z.enum(['auto', 'memory', 'postgres']).default('auto'),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: optionalUrl,
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().positive().max(16000).optional(),
  EMBEDDING_PROVIDER: z.enum(['hashing', 'openai']).optional(),
  LLM_PROVIDER: z.enum(['extractive', 'openai']).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),

  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: z.string().min(1).optional(),
  QDRANT_COLLECTION: z.string().min(1).default('rag_chunks'),
  /**
   * Average chunk length (tokens) baked into Qdrant's BM25 document vectors (Qdrant cannot track it);
   * changing it applies to chunks indexed afterwards.
   */
  QDRANT_BM25_AVG_LENGTH: z.coerce.number().positive().default(120),
  /** BM25 term-frequency saturation and length normalisation (keyword and hybrid search). */
  BM25_K1: z.coerce.number().min(0).max(10).default(1.2),
  BM25_B: z.coerce.number().min(0).max(1).default(0.75),
  /** Keyword options (README "Keyword options"): unset = defaults, `plain`, or a JSON patch. */
  BM25_KEYWORD: z.string().optional(),
  /** Chunks stored before the pgvector HNSW index is built (below it, exact search); 0 = always. */
  PGVECTOR_HNSW_MIN_CHUNKS: z.coerce.number().int().min(0).default(20000),
  /** HNSW search breadth (`hnsw.ef_search` floor): recall of the exact top k against latency. */
  PGVECTOR_EF_SEARCH: z.coerce.number().int().min(10).max(1000).default(100),
  /**
   * Memory (MB) for in-process copies of users' BM25 postings, which serve keyword and hybrid search
   * in milliseconds; the database stays the source of truth. 0 = always search in SQL.
   */
  BM25_CACHE_MB: z.coerce.number().min(0).default(256),

  // Observability (issue 13.6): traces go to an OTLP/HTTP collector only when its endpoint is set
  // (the SDK is not even loaded otherwise). The SDK reads the other OTEL_* variables itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().min(1).default('rag-gateway'),

  SERVICE_API_KEY: z.string().min(1).optional(),
  SYNC_INTERVAL_S: z.coerce.number().positive().default(60),
  GATEWAY_URL: z.url().default('http://127.0.0.1:8001'),
  /** E-mail sync service: `database` (shared Postgres, LISTEN/NOTIFY), `gateway` (@rag/client), or by DATABASE_URL. */
  EMAIL_SYNC_MODE: z.enum(['auto', 'database', 'gateway']).default('auto'),
  /** Log file of the sync service and the cron job; relative paths start at the directory pnpm was run from. */
  EMAIL_SYNC_LOG_FILE: z.string().min(1).default('email_sync.log'),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses a raw environment; empty strings count as unset. Throws `EnvError` naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  );
}

/** Reads the real process environment (the one place allowed to). */
export function readProcessEnv(): Env {
  return parseEnv(process.env);
}
