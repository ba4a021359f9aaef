import { isNode, type Node } from './parse-sql';

export { isNode };

/** A name or keyword of the AST (table, alias, join kind) as text; `fallback` when it is not a scalar. */
export function nameOf(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return fallback;
}

/** `t.col`, `col` or `*` of a column reference (the parser nests names differently by dialect). */
export function columnName(ref: Node): string {
  const c = ref.column;
  const name =
    typeof c === 'string' ? c : isNode(c) && isNode(c.expr) ? String(c.expr.value) : String(c);
  return ref.table ? `${nameOf(ref.table, '?')}.${name}` : name;
}

/** Every node below `node` (depth first), not descending into subqueries (their own statement). */
export function* descendants(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const v of node) yield* descendants(v);
    return;
  }
  if (!isNode(node)) return;
  yield node;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'ast' || k === 'tableList' || k === 'columnList') continue;
    if (v && typeof v === 'object') yield* descendants(v);
  }
}

/** Subquery statements directly inside an expression tree (`IN (SELECT …)`, `EXISTS (…)`, derived tables). */
export function* subqueries(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const v of node) yield* subqueries(v);
    return;
  }
  if (!isNode(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'ast' && isNode(v) && typeof v.type === 'string') yield v;
    else if (k !== 'tableList' && k !== 'columnList' && v && typeof v === 'object')
      yield* subqueries(v);
  }
}

/** The first column reference below `node`, if any. */
export const firstColumn = (node: unknown): Node | undefined =>
  [...descendants(node)].find((n) => n.type === 'column_ref');

export const isLiteral = (n: unknown) =>
  isNode(n) &&
  [
    'number',
    'single_quote_string',
    'string',
    'bool',
    'null',
    'double_quote_string',
    'param',
    'var',
  ].includes(String(n.type));

/** A select's LIMIT is present (the parser keeps an empty list when there is none). */
export function hasLimit(select: Node): boolean {
  const l = select.limit;
  if (!isNode(l)) return false;
  return Array.isArray(l.value) ? l.value.length > 0 : l.value != null;
}
