import {
  columnName,
  descendants,
  firstColumn,
  hasLimit,
  isLiteral,
  isNode,
  nameOf,
  subqueries,
} from './ast';
import type { Node } from './parse-sql';

/** One reviewer finding: a fact (for the LLM and the analysis) and what to do about it. */
export type Finding = { code: string; fact: string; suggestion: string };

const COMPARISON = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'LIKE',
  'ILIKE',
  'IN',
  'BETWEEN',
]);
const LIKE = new Set(['LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE']);

function selectFindings(s: Node, out: Finding[]): void {
  const columns = Array.isArray(s.columns) ? (s.columns as Node[]) : [];
  const star = columns.find(
    (c) => isNode(c.expr) && c.expr.type === 'column_ref' && /(^|\.)\*$/.test(columnName(c.expr)),
  );
  if (star || s.columns === '*')
    out.push({
      code: 'select_star',
      fact: 'SELECT * đọc mọi cột',
      suggestion:
        'Chỉ liệt kê các cột cần dùng thay cho SELECT * (ít dữ liệu hơn, có thể dùng index-only scan, không vỡ khi bảng thêm cột).',
    });
  const from = Array.isArray(s.from) ? (s.from as Node[]) : [];
  const comma = from.slice(1).filter((f) => !f.join);
  if (comma.length)
    out.push(
      s.where
        ? {
            code: 'implicit_join',
            fact: `Nối bảng ngầm bằng dấu phẩy (${from.map((f) => nameOf(f.table ?? f.as, '?')).join(', ')})`,
            suggestion:
              'Dùng JOIN … ON tường minh: điều kiện nối nằm cạnh bảng, không lẫn với điều kiện lọc và không dễ quên.',
          }
        : {
            code: 'cross_join',
            fact: `Tích Descartes: ${from.map((f) => nameOf(f.table, '?')).join(', ')} được nối không có điều kiện`,
            suggestion:
              'Thêm điều kiện nối (JOIN … ON) — không có nó mỗi dòng của bảng này ghép với mọi dòng của bảng kia.',
          },
    );
  for (const f of from) {
    const join = nameOf(f.join, '');
    if (join && !f.on && !f.using && !/CROSS/i.test(join)) {
      const table = nameOf(f.table, '');
      out.push({
        code: 'join_without_condition',
        fact: `${join} ${table} không có ON/USING`,
        suggestion: `Thêm điều kiện ON cho ${join} ${table}.`,
      });
    }
  }
  const aggregate = [...descendants(s.columns)].some((n) => n.type === 'aggr_func') || !!s.groupby;
  if (s.orderby && !hasLimit(s) && !aggregate)
    out.push({
      code: 'order_without_limit',
      fact: 'ORDER BY không có LIMIT: toàn bộ kết quả phải được sắp xếp',
      suggestion:
        'Nếu chỉ cần vài dòng đầu, thêm LIMIT (và index trên cột ORDER BY) để tránh sắp xếp cả bảng.',
    });
  else if (!s.where && !hasLimit(s) && !aggregate && from.length > 0)
    out.push({
      code: 'missing_limit',
      fact: 'Truy vấn thăm dò không có WHERE lẫn LIMIT: đọc toàn bộ bảng',
      suggestion: 'Khi xem thử dữ liệu, thêm LIMIT (ví dụ LIMIT 100).',
    });
}

function whereFindings(where: unknown, out: Finding[]): void {
  for (const n of descendants(where)) {
    if (n.type !== 'binary_expr') continue;
    const op = String(n.operator).toUpperCase();
    if (COMPARISON.has(op) || LIKE.has(op) || op === 'NOT IN') {
      for (const side of [n.left, n.right]) {
        const col =
          isNode(side) && ['function', 'cast'].includes(String(side.type))
            ? firstColumn(side)
            : undefined;
        if (col) {
          out.push({
            code: 'function_on_column',
            fact: `Hàm hoặc phép ép kiểu trên cột ${columnName(col)} trong điều kiện lọc`,
            suggestion: `Điều kiện bọc ${columnName(col)} trong hàm/ép kiểu không dùng được index thường: so sánh cột trần (đổi vế hằng số) hoặc tạo index biểu thức.`,
          });
        }
      }
    }
    if (
      LIKE.has(op) &&
      isNode(n.right) &&
      isLiteral(n.right) &&
      /^[%_]/.test(String(n.right.value))
    )
      out.push({
        code: 'leading_wildcard',
        fact: `LIKE '${String(n.right.value)}' bắt đầu bằng ký tự đại diện`,
        suggestion:
          'LIKE bắt đầu bằng % không dùng được index B-tree: dùng tìm kiếm toàn văn hoặc index trigram (pg_trgm).',
      });
    if (op === 'NOT IN' && [...subqueries(n.right)].length)
      out.push({
        code: 'not_in_subquery',
        fact: 'NOT IN với truy vấn con',
        suggestion:
          'NOT IN (SELECT …) không trả dòng nào khi truy vấn con có NULL: dùng NOT EXISTS (…) hoặc lọc IS NOT NULL trong truy vấn con.',
      });
  }
  // The parser's AND/OR precedence is only trustworthy when the reader's is unambiguous (parentheses).
  const mixed = mixesAndOr(where);
  for (const chain of mixed ? [] : orChains(where))
    out.push({
      code: 'or_chain',
      fact: `Chuỗi OR trên cùng cột ${chain.column} (${chain.values.length} giá trị)`,
      suggestion: `Viết ${chain.column} IN (${chain.values.join(', ')}) thay cho chuỗi OR: ngắn hơn và dễ dùng index hơn.`,
    });
  if (mixed)
    out.push({
      code: 'and_or_precedence',
      fact: 'AND và OR trộn lẫn không có ngoặc',
      suggestion:
        'Thêm ngoặc quanh các nhóm OR: AND được ưu tiên hơn OR nên điều kiện dễ bị hiểu sai.',
    });
}

/**
 * `col = a OR col = b OR …` (≥ 2 literals on one column), as the maximal OR subtree holding it, in
 * pre-order. Walked with an explicit stack: long AND/OR chains are as deep as they are long.
 */
export function orChains(where: unknown): { node: Node; column: string; values: string[] }[] {
  const found: { node: Node; column: string; values: string[] }[] = [];
  const stack: unknown[] = [where];
  while (stack.length) {
    const n = stack.pop();
    if (!isNode(n) || n.type !== 'binary_expr') continue;
    if (String(n.operator).toUpperCase() === 'OR') {
      const terms = orTerms(n);
      const eq = terms.map(equality).filter((e) => e !== null);
      const [first] = eq;
      if (
        first &&
        eq.length === terms.length &&
        new Set(eq.map((e) => e.column)).size === 1 &&
        terms.length >= 2
      ) {
        found.push({ node: n, column: first.column, values: eq.map((e) => e.value) });
        continue;
      }
      for (let i = terms.length - 1; i >= 0; i--) stack.push(terms[i]);
      continue;
    }
    stack.push(n.right, n.left);
  }
  return found;
}

/**
 * The operands of an OR chain, left to right; a parenthesised operand is one term (the top node's own
 * parentheses aside). Iterative: the chain of a 5000-term OR is 5000 deep.
 */
export function orTerms(n: Node): Node[] {
  const terms: Node[] = [];
  const stack: { n: Node; top: boolean }[] = [{ n, top: true }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { n: m, top } = item;
    if (
      m.type === 'binary_expr' &&
      String(m.operator).toUpperCase() === 'OR' &&
      (top || !m.parentheses)
    )
      stack.push({ n: m.right as Node, top: false }, { n: m.left as Node, top: false });
    else terms.push(m);
  }
  return terms;
}
function equality(n: Node): { column: string; value: string } | null {
  if (n.type !== 'binary_expr' || n.operator !== '=' || n.parentheses) return null;
  if (!isNode(n.left) || n.left.type !== 'column_ref' || !isLiteral(n.right)) return null;
  const r = n.right as Node;
  const value = r.type === 'number' ? String(r.value) : `'${String(r.value).replace(/'/g, "''")}'`;
  return { column: columnName(n.left), value };
}

/** An AND whose operand is an unparenthesised OR (or the reverse): precedence the reader may misjudge. */
export function mixesAndOr(where: unknown): boolean {
  for (const n of descendants(where)) {
    if (n.type !== 'binary_expr') continue;
    const op = String(n.operator).toUpperCase();
    if (op !== 'AND' && op !== 'OR') continue;
    const other = op === 'AND' ? 'OR' : 'AND';
    for (const side of [n.left, n.right])
      if (
        isNode(side) &&
        side.type === 'binary_expr' &&
        String(side.operator).toUpperCase() === other &&
        !side.parentheses
      )
        return true;
  }
  return false;
}

/** The findings of one statement itself, not of its subqueries. */
function ownFindings(statement: Node): Finding[] {
  const out: Finding[] = [];
  const type = String(statement.type).toLowerCase();
  if ((type === 'update' || type === 'delete') && !statement.where)
    out.push({
      code: `${type}_without_where`,
      fact: `${type.toUpperCase()} không có WHERE: mọi dòng của bảng bị ${type === 'update' ? 'sửa' : 'xóa'}`,
      suggestion: `Thêm WHERE cho ${type.toUpperCase()} (hoặc, nếu thật sự muốn cả bảng, ghi rõ bằng TRUNCATE / WHERE true và chạy trong transaction).`,
    });
  if (type === 'select') selectFindings(statement, out);
  whereFindings(statement.where, out);
  return out;
}

/**
 * Everything a reviewer would point out in one statement and its subqueries: the statement's own
 * findings, then each subquery's (pre-order, explicit stack — nesting depth is the user's to choose).
 * LIMIT advice is for the outermost statement only.
 */
export function statementFindings(statement: Node): Finding[] {
  const out: Finding[] = [];
  const stack: { s: Node; nested: boolean }[] = [{ s: statement, nested: false }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { s, nested } = item;
    for (const f of ownFindings(s))
      if (!nested || (f.code !== 'missing_limit' && f.code !== 'order_without_limit')) out.push(f);
    const subs = [...subqueries([s.where, s.from, s.columns])];
    for (const sub of subs.reverse()) stack.push({ s: sub, nested: true });
  }
  return out;
}
