import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  analyzeSql,
  createExtractiveLlm,
  createSqlReviewPool,
  dialectsFor,
  parseSql,
  SqlTooComplexError,
  statementFindings,
} from '@rag/core/testing';

import { createMemoryFileStore } from '../../../packages/core/src/adapters/memory/memory-file-store';
import { createDiskBlobStore } from '../../../packages/core/src/adapters/storage/disk-blob-store';
import { descendants } from '../../../packages/core/src/domain/sql-analysis/ast';
import { mixesAndOr, orChains } from '../../../packages/core/src/domain/sql-analysis/findings';
import type { Node } from '../../../packages/core/src/domain/sql-analysis/parse-sql';

// Long but legal statements are trees as deep as they are long: the analysis must not overflow on them,
// and what the parser itself cannot follow is a clear 400, never the engine's "Maximum call stack" text.
const deps = {
  files: createMemoryFileStore(),
  blobs: createDiskBlobStore(join(tmpdir(), 'rag-deep-sql-no-blobs')),
  llm: createExtractiveLlm(),
  // Inline: the review's thread is tested in e2e/sql/sql-review-thread.test.ts.
  sqlReviewer: createSqlReviewPool({ size: 0, timeoutMs: 60_000 }),
};
const analyze = (sql_query: string) => analyzeSql(deps, 'u', { sql_query });
const chain = (n: number, term: (i: number) => string, op: string) =>
  Array.from({ length: n }, (_, i) => term(i)).join(` ${op} `);
const TOO_COMPLEX = /^Câu lệnh SQL quá phức tạp để phân tích \(PostgreSQL\)/;

describe('long statements analyse without overflowing', () => {
  it('5000 ORs on one column (≈ 49 KB): found as one OR chain and rewritten to IN', async () => {
    const sql = `SELECT * FROM t WHERE ${chain(5000, (i) => `a=${i}`, 'OR')}`;
    expect(sql.length).toBeGreaterThan(45_000);
    const res = await analyze(sql);
    expect(res.analysis).toContain('Chuỗi OR trên cùng cột a (5000 giá trị)');
    expect(res.optimized_query).toMatch(/a IN \(\s*0,\s*1,\s*2,/);
    expect(res.optimized_query).toMatch(/4999\s*\)/);
  });

  it('5000 ANDs: analysed, the statement kept (only formatted)', async () => {
    const res = await analyze(`SELECT * FROM t WHERE ${chain(5000, (i) => `a${i}=${i}`, 'AND')}`);
    expect(res.analysis).toContain('SELECT * đọc mọi cột');
    expect(res.optimized_query).toMatch(/a4999 = 4999$/);
  });

  it('a foldable OR beside 5000 ANDs: still a 200, whether or not the printer manages the rewrite', async () => {
    const res = await analyze(
      `SELECT * FROM t WHERE (x = 1 OR x = 2) AND ${chain(5000, (i) => `a${i}=${i}`, 'AND')}`,
    );
    expect(res.suggestions.some((s) => s.includes('x IN (1, 2)'))).toBe(true);
    expect(res.optimized_query!.replace(/\s+/g, ' ')).toMatch(/x IN \(1, 2\)|\( x = 1 OR x = 2 \)/);
  });

  it('our walks take trees far deeper than the parser builds (20,000 levels; 5000 overflowed the recursion)', () => {
    const eq = (i: number): Node => ({
      type: 'binary_expr',
      operator: '=',
      left: { type: 'column_ref', table: null, column: 'a' },
      right: { type: 'number', value: i },
    });
    const deep = (op: string, n: number): Node => {
      let node = eq(0);
      for (let i = 1; i < n; i++)
        node = { type: 'binary_expr', operator: op, left: node, right: eq(i) };
      return node;
    };
    const or = deep('OR', 20_000);
    expect([...descendants(or)]).toHaveLength(20_000 * 4 - 1);
    const [found] = orChains(or);
    expect(found?.values).toHaveLength(20_000);
    expect(found?.values.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(mixesAndOr(or)).toBe(false);
    const select: Node = {
      type: 'select',
      columns: '*',
      from: [{ table: 't' }],
      where: deep('AND', 20_000),
    };
    expect(statementFindings(select).map((f) => f.code)).toEqual(['select_star']);
  });
});

describe('what the parser cannot follow is refused in Vietnamese', () => {
  const refused = async (sql: string) => {
    let err: unknown;
    try {
      await analyze(sql);
    } catch (e) {
      err = e;
    }
    const { code, message } = err as { code?: string; message?: string };
    expect(code).toBe('BAD_REQUEST');
    expect(message).toMatch(TOO_COMPLEX);
    expect(message).not.toMatch(/Maximum call stack|RangeError/i);
  };

  it('1000 nested parentheses', async () => {
    await refused(`SELECT ${'('.repeat(1000)}1${')'.repeat(1000)}`);
  });

  it('`/*` repeated 10,000 times', async () => {
    await refused('/*'.repeat(10_000));
  });

  it('parseSql reports the overflow as its own error, and the parser keeps working after it', () => {
    expect(() => parseSql('/*'.repeat(10_000), dialectsFor(null))).toThrow(SqlTooComplexError);
    expect(parseSql('SELECT a FROM t WHERE a = 1', dialectsFor(null)).tables).toEqual(['t']);
  });
});
