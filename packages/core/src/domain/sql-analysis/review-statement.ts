import type { Dialect } from './dialect';
import { statementFindings, type Finding } from './findings';
import { parseSql, SqlSyntaxError, SqlTooComplexError } from './parse-sql';
import { optimizedQuery } from './rewrite';

/**
 * What the parser makes of a statement, as plain data (it crosses a thread): the dialect that accepted
 * it, its statements' kinds and tables, the findings and the rewritten text; or why it could not.
 */
export type StatementReview =
  | {
      kind: 'reviewed';
      dialect: Dialect;
      statementTypes: string[];
      tables: string[];
      findings: Finding[];
      optimized: string;
    }
  | { kind: 'syntax'; dialect: string; line: number | null; column: number | null; message: string }
  | { kind: 'too-complex'; dialect: string }
  /** Still running after the reviewer's time limit (`SQL_REVIEW_TIMEOUT_S`). */
  | { kind: 'too-slow'; dialect: string; seconds: number }
  /** Every review thread busy and the line full: try again later. */
  | { kind: 'busy' };

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.fact) && (seen.add(f.fact), true));
}

/** The CPU-bound part of the SQL review: parse, findings, rewrite. No I/O, no model. */
export function reviewStatement(sql: string, dialects: Dialect[]): StatementReview {
  let parsed;
  try {
    parsed = parseSql(sql, dialects);
  } catch (e) {
    if (e instanceof SqlTooComplexError) return { kind: 'too-complex', dialect: e.dialect };
    if (!(e instanceof SqlSyntaxError)) throw e;
    return {
      kind: 'syntax',
      dialect: e.dialect,
      line: e.line,
      column: e.column,
      message: e.message,
    };
  }
  const { dialect, statements, tables } = parsed;
  try {
    const findings = unique(statements.flatMap(statementFindings));
    // Rewrites the statements in place, so after the findings.
    const optimized = optimizedQuery(sql, statements, dialect);
    const statementTypes = statements.map((s) => String(s.type).toUpperCase());
    return { kind: 'reviewed', dialect, statementTypes, tables, findings, optimized };
  } catch (e) {
    // Our own walks are iterative; this nets any recursion left in a dependency.
    if (e instanceof RangeError) return { kind: 'too-complex', dialect: dialect.label };
    throw e;
  }
}
