import {
  bigint,
  customType,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';

import { files } from './documents';

/** pgvector column without a fixed dimension: the dimension comes from the configured embedder. */
const vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (v) => `[${v.join(',')}]`,
  fromDriver: (v) => JSON.parse(v) as number[],
});
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const chunks = pgTable(
  'chunks',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    page: integer('page'),
    pageLabel: text('page_label'),
    section: text('section'),
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    category: text('category'),
    /** Number of BM25 tokens in the chunk (document length for BM25). */
    tokenCount: integer('token_count').notNull(),
    /** BM25 terms with positions (tf = number of positions), built by our tokenizer. */
    terms: tsvector('terms').notNull(),
    embedding: vector('embedding').notNull(),
  },
  (t) => [
    index('chunks_user_file_idx').on(t.userId, t.fileId),
    index('chunks_terms_gin').using('gin', t.terms),
  ],
);

/** Per-user document frequency of each BM25 term. */
export const termStats = pgTable(
  'term_stats',
  {
    userId: uuid('user_id').notNull(),
    term: text('term').notNull(),
    df: integer('df').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.term] })],
);

/** Per-user BM25 corpus statistics. */
export const indexStats = pgTable('index_stats', {
  userId: uuid('user_id').primaryKey(),
  docCount: integer('doc_count').notNull().default(0),
  totalTokens: bigint('total_tokens', { mode: 'number' }).notNull().default(0),
  avgTokens: doublePrecision('avg_tokens').notNull().default(0),
});
