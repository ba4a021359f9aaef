import { describe, expect, it } from 'vitest';

import { dialectsFor, parseSql } from '@rag/core/testing';
import { toSql } from '../../../packages/core/src/domain/sql-analysis/parse-sql';

// Each dialect's parser is loaded on first use from the package's own build of that dialect.
describe('SQL dialect parsers', () => {
  const contexts = ['PostgreSQL 16', 'MySQL 8', 'MariaDB', 'SQLite', 'SQL Server', 'BigQuery'];
  for (const context of contexts)
    it(`parses and prints a statement in the dialect ${context} names`, () => {
      const [dialect] = dialectsFor(context);
      expect(dialect?.label).toBeTruthy();
      const parsed = parseSql('SELECT a, b FROM orders WHERE b = 1', [dialect!]);
      expect(parsed.dialect).toBe(dialect);
      expect(parsed.tables).toEqual(['orders']);
      expect(toSql(parsed.statements[0]!, dialect!)).toMatch(/^SELECT .*orders.* WHERE .*b.* = 1$/);
    });

  it('reports a syntax error with its place in the first dialect tried', () => {
    expect(() => parseSql('SELEC a FROM t', dialectsFor(null))).toThrow(
      expect.objectContaining({ name: 'SqlSyntaxError', line: 1, dialect: 'PostgreSQL' }),
    );
  });
});
