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

/**
 * Every node below `node` (depth first, pre-order), not descending into subqueries (their own
 * statement). An explicit stack, not recursion: a legal 5000-term `a=0 OR a=1 …` is a 5000-deep tree.
 */
export function* descendants(node: unknown): Generator<Node> {
  const stack: unknown[] = [node];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      // Reversed so the first element comes off the stack first, as the recursion visited them.
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (!isNode(v)) continue;
    yield v;
    const children: unknown[] = [];
    for (const [k, c] of Object.entries(v)) {
      if (k === 'ast' || k === 'tableList' || k === 'columnList') continue;
      if (c && typeof c === 'object') children.push(c);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/**
 * Subquery statements directly inside an expression tree (`IN (SELECT …)`, `EXISTS (…)`, derived
 * tables), in source order. Iterative for the same reason as `descendants`.
 */
export function* subqueries(node: unknown): Generator<Node> {
  // A `found` entry is a subquery to yield when it comes off the stack (keeps the order of the walk).
  const stack: { v: unknown; found: boolean }[] = [{ v: node, found: false }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { v, found } = top;
    if (found) {
      yield v as Node;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], found: false });
      continue;
    }
    if (!isNode(v)) continue;
    const children: { v: unknown; found: boolean }[] = [];
    for (const [k, c] of Object.entries(v)) {
      if (k === 'ast' && isNode(c) && typeof c.type === 'string')
        children.push({ v: c, found: true });
      else if (k !== 'tableList' && k !== 'columnList' && c && typeof c === 'object')
        children.push({ v: c, found: false });
    }
    for (const c of children.reverse()) stack.push(c);
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
