import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  analyzeSql,
  createExtractiveLlm,
  createSqlReviewPool,
  dialectsFor,
  parseSql,
  SqlSyntaxError,
  statementFindings,
} from '@rag/core/testing';

import { createMemoryFileStore } from '../../../packages/core/src/adapters/memory/memory-file-store';
import { createDiskBlobStore } from '../../../packages/core/src/adapters/storage/disk-blob-store';

const codes = (sql: string, context: string | null = null) =>
  parseSql(sql, dialectsFor(context))
    .statements.flatMap(statementFindings)
    .map((f) => f.code);

describe('SQL reviewer findings (parser facts, no LLM)', () => {
  it('SELECT *', () => {
    expect(codes('SELECT * FROM users WHERE id = 1')).toContain('select_star');
    expect(codes('SELECT id FROM users WHERE id = 1')).not.toContain('select_star');
  });
  it('implicit cross joins and joins without conditions', () => {
    expect(codes('SELECT u.id FROM users u, orders o LIMIT 5')).toContain('cross_join');
    expect(codes('SELECT u.id FROM users u, orders o WHERE u.id = o.user_id')).toContain(
      'implicit_join',
    );
    expect(
      codes('SELECT u.id FROM users u JOIN orders o ON u.id = o.user_id WHERE u.id = 1'),
    ).toEqual([]);
  });
  it('UPDATE / DELETE without WHERE', () => {
    expect(codes('UPDATE accounts SET balance = 0')).toContain('update_without_where');
    expect(codes('DELETE FROM accounts')).toContain('delete_without_where');
    expect(codes('DELETE FROM accounts WHERE id = 3')).not.toContain('delete_without_where');
  });
  it('functions or casts on filtered columns', () => {
    expect(codes("SELECT id FROM users WHERE lower(email) = 'a@b.c'")).toContain(
      'function_on_column',
    );
    expect(codes("SELECT id FROM users WHERE created_at::date = '2024-01-01'")).toContain(
      'function_on_column',
    );
    expect(codes("SELECT id FROM users WHERE email = lower('A@B.C')")).not.toContain(
      'function_on_column',
    );
  });
  it('leading-wildcard LIKE', () => {
    expect(codes("SELECT id FROM users WHERE name LIKE '%son'")).toContain('leading_wildcard');
    expect(codes("SELECT id FROM users WHERE name LIKE 'son%'")).not.toContain('leading_wildcard');
  });
  it('OR chains that could be IN, but not across AND/OR precedence', () => {
    expect(codes('SELECT id FROM t WHERE status = 1 OR status = 2 OR status = 3')).toContain(
      'or_chain',
    );
    expect(codes('SELECT id FROM t WHERE status = 1 OR kind = 2')).not.toContain('or_chain');
    const mixed = codes('SELECT id FROM t WHERE x = 1 OR x = 2 AND z = 3');
    expect(mixed).toContain('and_or_precedence');
    expect(mixed).not.toContain('or_chain');
  });
  it('NOT IN with a subquery', () => {
    expect(codes('SELECT id FROM a WHERE id NOT IN (SELECT a_id FROM b)')).toContain(
      'not_in_subquery',
    );
    expect(codes('SELECT id FROM a WHERE id NOT IN (1, 2)')).not.toContain('not_in_subquery');
  });
  it('ORDER BY without LIMIT, exploratory queries without LIMIT', () => {
    expect(codes('SELECT id FROM events WHERE kind = 1 ORDER BY created_at')).toContain(
      'order_without_limit',
    );
    expect(codes('SELECT id FROM events ORDER BY created_at LIMIT 10')).not.toContain(
      'order_without_limit',
    );
    expect(codes('SELECT id FROM events')).toContain('missing_limit');
    expect(codes('SELECT count(*) FROM events')).not.toContain('missing_limit');
  });
  it('dialect from the context, PostgreSQL then MySQL by default', () => {
    expect(parseSql('SELECT id FROM t LIMIT 5, 10', dialectsFor(null)).dialect.label).toBe('MySQL');
    expect(parseSql('SELECT id FROM t LIMIT 1', dialectsFor(null)).dialect.label).toBe(
      'PostgreSQL',
    );
    expect(dialectsFor('MySQL 8.0, InnoDB').map((d) => d.label)).toEqual(['MySQL']);
  });
  it('invalid SQL says where the parser stopped', () => {
    try {
      parseSql('SELEC id FRM t', dialectsFor(null));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SqlSyntaxError);
      expect((e as SqlSyntaxError).line).toBe(1);
      expect((e as SqlSyntaxError).column).toBeGreaterThan(0);
    }
  });
});

describe('analyzeSql without a database', () => {
  // No file is named, so neither store is read; the model-free LLM reviews nothing (null), as in production.
  const deps = {
    files: createMemoryFileStore(),
    blobs: createDiskBlobStore(join(tmpdir(), 'rag-findings-no-blobs')),
    llm: createExtractiveLlm(),
    // Inline: the review's thread is tested in e2e/sql/sql-review-thread.test.ts.
    sqlReviewer: createSqlReviewPool({ size: 0, timeoutMs: 60_000 }),
  };
  it('rewrites an OR chain to IN and formats the statement', async () => {
    const res = await analyzeSql(deps, 'u', {
      sql_query: 'select id from t where status = 1 or status = 2 order by id',
    });
    expect(res.optimized_query).toMatch(/IN \(1, 2\)/);
    expect(res.optimized_query).toMatch(/\n/);
    expect(res.suggestions.some((s) => s.includes('IN (1, 2)'))).toBe(true);
    expect(res.analysis).toContain('PostgreSQL');
  });
  it('keeps the user’s text (only formatted) when no rewrite is safe', async () => {
    const res = await analyzeSql(deps, 'u', {
      sql_query: 'select * from t where x = 1 or x = 2 and z = 3',
    });
    expect(res.optimized_query!.replace(/\s+/g, ' ').trim()).toBe(
      'SELECT * FROM t WHERE x = 1 OR x = 2 AND z = 3',
    );
  });
});
