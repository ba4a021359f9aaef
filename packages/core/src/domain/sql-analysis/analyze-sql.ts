import type { Deps } from '../../ports/deps';
import { AppError } from '../../errors';
import { dialectsFor } from './dialect';
import type { StatementReview } from './review-statement';
import type { SQLAnalysisRequest, SQLAnalysisResponse } from './schemas';

type SqlDeps = Pick<Deps, 'files' | 'blobs' | 'llm' | 'sqlReviewer'>;

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

/** The refusal of a statement nested too deep for the parser, or too slow to review in time. */
const tooComplex = (dialect: string, why: string) =>
  new AppError(
    'BAD_REQUEST',
    `Câu lệnh SQL quá phức tạp để phân tích (${dialect}): ${why}. Hãy tách thành các câu lệnh hoặc điều kiện nhỏ hơn.`,
  );

/** A statement the parser could not review, refused with where or why (400), or a full line (503). */
function refusal(r: Exclude<StatementReview, { kind: 'reviewed' }>): AppError {
  if (r.kind === 'busy')
    return new AppError(
      'UNAVAILABLE',
      'Máy chủ đang bận phân tích các câu lệnh SQL khác, vui lòng thử lại sau ít phút',
    );
  if (r.kind === 'syntax') {
    const where = r.line === null ? '' : `, dòng ${r.line}, cột ${r.column}`;
    return new AppError(
      'BAD_REQUEST',
      `Câu lệnh SQL không hợp lệ (${r.dialect}${where}): ${r.message}`,
    );
  }
  return tooComplex(
    r.dialect,
    r.kind === 'too-slow'
      ? `trình phân tích không xong trong ${r.seconds} giây`
      : 'biểu thức, ngoặc hoặc chú thích lồng nhau quá sâu',
  );
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
  // Parsed, reviewed and rewritten off the request thread (the parser can take seconds).
  const reviewed = await deps.sqlReviewer.review(input.sql_query, dialectsFor(schema || null));
  if (reviewed.kind !== 'reviewed') throw refusal(reviewed);
  const { dialect, statementTypes, tables, findings, optimized } = reviewed;
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
  const kinds = statementTypes.join(', ');
  const overview = `Phương ngữ: ${dialect.label}; ${statementTypes.length} câu lệnh (${kinds}); bảng: ${tables.filter((t) => t !== 'null').join(', ') || 'không có'}`;
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
