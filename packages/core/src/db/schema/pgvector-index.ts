import {
  bigint,
  customType,
  index,
  integer,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * pgvector column without a fixed dimension: the dimension comes from the configured embedder, and the
 * HNSW index is an expression index on `embedding::vector(<dim>)` created at start-up for that dimension.
 */
const vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (v) => `[${v.join(',')}]`,
  fromDriver: (v) => JSON.parse(v) as number[],
});
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Chunks of the pgvector index. No foreign key to `files`: the index is a separate store (like Qdrant),
 * kept consistent by the ingestion pipeline and start-up reconciliation.
 */
export const chunks = pgTable(
  'chunks',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    fileId: uuid('file_id').notNull(),
    /** Original filename (the contract's `source`). */
    filename: text('filename').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    page: integer('page'),
    pageLabel: text('page_label'),
    section: text('section'),
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    /** Number of BM25 tokens in the chunk (document length for BM25). */
    tokenCount: integer('token_count').notNull(),
    /** BM25 terms from our tokenizer; each term's frequency is its number of positions. */
    terms: tsvector('terms').notNull(),
    embedding: vector('embedding').notNull(),
  },
  (t) => [
    index('chunks_user_file_idx').on(t.userId, t.fileId),
    index('chunks_terms_gin').using('gin', t.terms).with({ gin_pending_list_limit: 65536 }),
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

/** Versions of users' indexes: global, so a version is never reused even after a user's stats row is dropped. */
export const indexVersionSeq = pgSequence('index_version_seq');

/** Per-user BM25 corpus statistics. */
export const indexStats = pgTable('index_stats', {
  userId: uuid('user_id').primaryKey(),
  docCount: integer('doc_count').notNull().default(0),
  totalTokens: bigint('total_tokens', { mode: 'number' }).notNull().default(0),
  /**
   * Changes with every write to the user's chunks (from `index_version_seq`): an in-process copy of the
   * user's postings is valid exactly while it carries the current version.
   */
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});
