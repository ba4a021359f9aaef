import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { queryRows } from './sql-rows';

/**
 * The HNSW index built in steps on embedded PGlite (issue 10 item 4). PGlite is one backend: a
 * `CREATE INDEX` over the chunks table holds it, and every request that queries the database, for
 * the whole build. Instead the vectors go to a shadow table (chunk id + vector) whose HNSW index exists
 * from the start, back-filled in short batches (requests run between them) while triggers on `chunks`
 * mirror inserts, deletes and truncates. Semantic search switches to it once it is complete.
 */
export type AnnShadow = {
  readonly table: string;
  readonly indexName: string;
  /**
   * `complete`: back-filled and searchable; `partial`: a build was interrupted (resumable); `broken`:
   * the table without its index (dropped by hand); `absent`.
   */
  state(): Promise<'complete' | 'partial' | 'broken' | 'absent'>;
  /** Creates the table, its HNSW index and the mirroring triggers (one short transaction). */
  create(): Promise<void>;
  /** Copies the next `limit` chunks after `after` (by id); returns the last id copied, or null at the end. */
  step(after: string | null, limit: number): Promise<string | null>;
  /** Marks it complete and refreshes its planner statistics. */
  complete(): Promise<void>;
  /** Drops the table, its triggers and function (for another dimension, or an unusable one). */
  drop(): Promise<void>;
};

const COMPLETE = 'complete';

/** Shadow tables of dimensions other than `dim` (left by an earlier embedder). */
export async function staleShadows(db: Db, dim: number): Promise<number[]> {
  const rows = await queryRows(
    db,
    sql`select tablename from pg_tables where schemaname = current_schema() and tablename like 'chunk\\_ann\\_%'`,
  );
  return rows
    .map((r) => Number(String(r.tablename).slice('chunk_ann_'.length)))
    .filter((d) => Number.isInteger(d) && d > 0 && d !== dim);
}

export function annShadow(db: Db, dim: number): AnnShadow {
  const table = `chunk_ann_${dim}`;
  const indexName = `${table}_hnsw`;
  const fn = (what: string) => `${table}_${what}`;
  const trigger = (what: string, fires: string, body: string) => [
    `create or replace function ${fn(what)}() returns trigger language plpgsql as $$
     begin ${body}; return null; end $$`,
    `create trigger ${fn(what)} after ${fires} on chunks
     ${fires === 'truncate' ? '' : `referencing ${what === 'del' ? 'old' : 'new'} table as changed`}
     for each statement execute function ${fn(what)}()`,
  ];

  return {
    table,
    indexName,
    async state() {
      const rows = await queryRows(
        db,
        sql`select obj_description(c.oid, 'pg_class') as note,
                   exists (select 1 from pg_indexes where tablename = ${table} and indexname = ${indexName}) as indexed
            from pg_class c where c.relname = ${table} and c.relkind = 'r'`,
      );
      const row = rows[0];
      if (!row) return 'absent';
      if (row.indexed !== true) return 'broken';
      return row.note === COMPLETE ? 'complete' : 'partial';
    },
    async create() {
      await db.transaction(async (tx) => {
        await tx.execute(
          sql.raw(`create table ${table} (id uuid primary key, vec vector(${dim}) not null)`),
        );
        // Built while empty: each back-filled or mirrored row is one insert into a small HNSW graph.
        await tx.execute(
          sql.raw(`create index ${indexName} on ${table} using hnsw (vec vector_cosine_ops)`),
        );
        const statements = [
          ...trigger(
            'ins',
            'insert',
            `insert into ${table} (id, vec) select id, embedding::vector(${dim}) from changed on conflict (id) do nothing`,
          ),
          ...trigger('del', 'delete', `delete from ${table} t using changed c where t.id = c.id`),
          ...trigger('trunc', 'truncate', `truncate ${table}`),
        ];
        for (const s of statements) await tx.execute(sql.raw(s));
      });
    },
    async step(after, limit) {
      const rows = await queryRows(
        db,
        sql`with batch as (
              select id, embedding from chunks
              where id > ${after ?? '00000000-0000-0000-0000-000000000000'}::uuid
              order by id limit ${limit}
            ), copied as (
              insert into ${sql.raw(table)} (id, vec)
              select id, embedding::vector(${sql.raw(String(dim))}) from batch
              on conflict (id) do nothing
            )
            select max(id::text) as last, count(*)::int as n from batch`,
      );
      const row = rows[0];
      return Number(row?.n ?? 0) < limit || typeof row?.last !== 'string' ? null : row.last;
    },
    async complete() {
      await db.execute(sql.raw(`comment on table ${table} is '${COMPLETE}'`));
      await db.execute(sql.raw(`analyze ${table}`));
    },
    async drop() {
      await db.transaction(async (tx) => {
        for (const what of ['ins', 'del', 'trunc']) {
          await tx.execute(sql.raw(`drop trigger if exists ${fn(what)} on chunks`));
          await tx.execute(sql.raw(`drop function if exists ${fn(what)}()`));
        }
        await tx.execute(sql.raw(`drop table if exists ${table}`));
      });
    },
  };
}
