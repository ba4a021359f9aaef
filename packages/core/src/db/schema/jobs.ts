import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * One row per upload: the durable record of its ingestion (uploaded → parsed → chunked → embedded →
 * indexed | failed). Gateways claim queued rows with `FOR UPDATE SKIP LOCKED` and hold a lease while
 * they work; an expired lease means the worker died and the job is retried or failed.
 */
export const ingestJobs = pgTable(
  'ingest_jobs',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** The file row this job fills (its chunks are keyed by it). */
    fileId: uuid('file_id').notNull(),
    /** Client-chosen id to follow progress before the job exists. */
    uploadId: text('upload_id'),
    filename: text('filename').notNull(),
    extension: text('extension').notNull(),
    storageKey: text('storage_key').notNull(),
    category: text('category'),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** queued | running | done | failed */
    status: text('status').notNull(),
    /** uploaded | parsed | chunked | embedded | indexed | failed */
    stage: text('stage').notNull(),
    pagesDone: integer('pages_done'),
    pageCount: integer('page_count'),
    chunksCount: integer('chunks_count').notNull().default(0),
    /** The file the user got: ours, or an identical one indexed before (duplicate). */
    resultFileId: uuid('result_file_id'),
    duplicate: boolean('duplicate').notNull().default(false),
    /** AppErrorCode of a failure (BAD_REQUEST, PAYLOAD_TOO_LARGE, INTERNAL…) and its user-facing text. */
    errorCode: text('error_code'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    claimedBy: text('claimed_by'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('ingest_jobs_user_idx').on(t.userId, t.createdAt),
    index('ingest_jobs_file_idx').on(t.fileId),
    index('ingest_jobs_upload_idx').on(t.userId, t.uploadId),
    index('ingest_jobs_queue_idx')
      .on(t.status, t.createdAt)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);
