import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    filename: text('filename').notNull(),
    storageKey: text('storage_key').notNull(),
    extension: text('extension').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** Bounded (MAX_CATEGORY_LENGTH), stored once per file; chunks never carry it. */
    category: varchar('category', { length: 100 }),
    /** processing → indexed | failed */
    status: text('status').notNull(),
    stage: text('stage').notNull(),
    error: text('error'),
    chunksCount: integer('chunks_count').notNull().default(0),
    pageCount: integer('page_count'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }),
  },
  (t) => [
    index('files_user_idx').on(t.userId, t.createdAt),
    index('files_user_name_idx').on(t.userId, t.filename),
    index('files_user_category_idx').on(t.userId, t.category),
    uniqueIndex('files_user_sha_indexed_key')
      .on(t.userId, t.sha256)
      .where(sql`${t.status} = 'indexed'`),
  ],
);
