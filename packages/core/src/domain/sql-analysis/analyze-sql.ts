import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import { dialectsFor } from './dialect';
import { statementFindings, type Finding } from './findings';
import { parseSql, SqlSyntaxError, SqlTooComplexError } from './parse-sql';
import { optimizedQuery } from './rewrite';
import type { SQLAnalysisRequest, SQLAnalysisResponse } from './schemas';

type SqlDeps = Pick<Deps, 'files' | 'blobs' | 'llm'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Schema text kept from a `.sql` file (the prompt clips further). */
const MAX_SCHEMA_BYTES = 256 * 1024;

/** `database_context` as a `file_id` of the caller's `.sql` file (its text), else the text itself. */
async function schemaContext(deps: SqlDeps, userId: string, context: string): Promise<string> {
  if (!UUID.test(context)) return context;
  const [row] = await deps.files.findIndexed(userId, { id: context });
  // Someone else's file looks exactly like a missing one.
  if (!row || row.extension.toLowerCase() !== '.sql')
    throw new AppError('NOT_FOUND', `Không tìm thấy tài liệu .sql với file_id: ${context}`);
  const bytes = await deps.blobs.read(row.storageKey);
  return bytes.subarray(0, MAX_SCHEMA_BYTES).toString('utf8');
}

/** `"public"."Users"` → `users`: the last dotted part, unquoted, lower-cased. */
const tableName = (qualified: string): string =>
  (
    qualified
      .replace(/[`"[\]]/g, '')
      .split('.')
      .at(-1) ?? ''
  ).toLowerCase();

/** Tables the schema creates, lower-cased without quotes or schema prefix. */
function schemaTables(schema: string): Set<string> {
  const names = new Set<string>();
  for (const m of schema.matchAll(
    /create\s+(?:temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?([^\s(]+)/gi,
  ))
    names.add(tableName(m[1] ?? ''));
  return names;
}

/** The refusal of a statement nested deeper than the parser (or a later step) can follow. */
const tooComplex = (dialect: string) =>
  new AppError(
    'BAD_REQUEST',
    `Câu lệnh SQL quá phức tạp để phân tích (${dialect}): biểu thức, ngoặc hoặc chú thích lồng nhau quá sâu. Hãy tách thành các câu lệnh hoặc điều kiện nhỏ hơn.`,
  );

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.fact) && (seen.add(f.fact), true));
}

/**
 * Reviews SQL with a real parser (dialect from `database_context`, else PostgreSQL then MySQL): what a
 * reviewer would point out, a formatted and safely rewritten statement, and — with an LLM configured —
 * the model's analysis grounded in those facts. Unparseable SQL is a 400 naming where the parser stopped;
 * SQL nested deeper than the parser can follow is a 400 saying so.
 */
export async function analyzeSql(
  deps: SqlDeps,
  userId: string,
  input: SQLAnalysisRequest,
  signal?: AbortSignal,
): Promise<SQLAnalysisResponse> {
  const context = input.database_context?.trim() ?? '';
  const schema = context ? await schemaContext(deps, userId, context) : '';
  let parsed;
  try {
    parsed = parseSql(input.sql_query, dialectsFor(schema || null));
  } catch (e) {
    if (e instanceof SqlTooComplexError) throw tooComplex(e.dialect);
    if (!(e instanceof SqlSyntaxError)) throw e;
    const where = e.line === null ? '' : `, dòng ${e.line}, cột ${e.column}`;
    throw new AppError(
      'BAD_REQUEST',
      `Câu lệnh SQL không hợp lệ (${e.dialect}${where}): ${e.message}`,
    );
  }
  const { dialect, statements, tables } = parsed;
  let findings: Finding[];
  let optimized: string;
  try {
    findings = unique(statements.flatMap(statementFindings));
    // Rewrites the statements in place, so after the findings; before the LLM, which needs neither.
    optimized = optimizedQuery(input.sql_query, statements, dialect);
  } catch (e) {
    // Our own walks are iterative; this nets any recursion left in a dependency.
    if (e instanceof RangeError) throw tooComplex(dialect.label);
    throw e;
  }
  const known = schemaTables(schema);
  if (known.size) {
    for (const t of tables)
      if (t !== 'null' && !known.has(t.toLowerCase()))
        findings.push({
          code: 'unknown_table',
          fact: `Bảng ${t} không có trong schema đã cho`,
          suggestion: `Kiểm tra tên bảng ${t}: schema đã cho không tạo bảng này.`,
        });
  }
  const kinds = statements.map((s) => String(s.type).toUpperCase()).join(', ');
  const overview = `Phương ngữ: ${dialect.label}; ${statements.length} câu lệnh (${kinds}); bảng: ${tables.filter((t) => t !== 'null').join(', ') || 'không có'}`;
  const facts = [overview, ...findings.map((f) => f.fact)];
  const review = await deps.llm.reviewSql({
    sql: input.sql_query,
    dialect: dialect.label,
    facts,
    schema,
    language: 'vi',
    signal,
  });
  const lines = [
    overview + '.',
    findings.length
      ? `Phát hiện (${findings.length}):\n${findings.map((f) => `- ${f.fact}`).join('\n')}`
      : 'Trình phân tích không phát hiện vấn đề nào trong các quy tắc kiểm tra.',
  ];
  if (review?.trim()) lines.push(`Nhận xét của mô hình:\n${review.trim()}`);
  return {
    query: input.sql_query,
    analysis: lines.join('\n\n'),
    suggestions: [...new Set(findings.map((f) => f.suggestion))],
    optimized_query: optimized,
  };
}
