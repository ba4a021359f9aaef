import { format } from 'sql-formatter';

import { isNode } from './ast';
import type { Dialect } from './dialect';
import { mixesAndOr, orChains, orTerms } from './findings';
import { toSql, type Node } from './parse-sql';

/** Replaces `col = a OR col = b …` by `col IN (a, b …)` in place; true when something changed. */
function foldOrChains(statement: Node): boolean {
  const where = statement.where;
  if (!isNode(where) || mixesAndOr(where)) return false;
  let changed = false;
  for (const chain of orChains(where)) {
    const terms = orTerms(chain.node);
    // orChains found ≥ 2 equalities on one column: their left sides are that column.
    const [first] = terms;
    if (!first) continue;
    const column = first.left as Node;
    const values = terms.map((t) => t.right as Node);
    const parens = chain.node.parentheses;
    for (const k of Object.keys(chain.node)) delete chain.node[k];
    Object.assign(chain.node, {
      type: 'binary_expr',
      operator: 'IN',
      left: column,
      right: { type: 'expr_list', value: values },
      ...(parens ? { parentheses: parens } : {}),
    });
    changed = true;
  }
  return changed;
}

function pretty(sql: string, dialect: Dialect): string {
  try {
    return format(sql, { language: dialect.formatter, keywordCase: 'upper' });
  } catch {
    return sql;
  }
}

/**
 * The statement formatted, with the rewrites that cannot change its meaning applied (OR chains on one
 * column become IN). Statements without a safe rewrite keep the user's own text, only re-indented.
 */
export function optimizedQuery(sql: string, statements: Node[], dialect: Dialect): string {
  const rewritten = statements.map((s) => foldOrChains(s));
  if (!rewritten.some(Boolean)) return pretty(sql, dialect);
  try {
    return (
      statements.map((s) => pretty(toSql(s, dialect), dialect)).join(';\n\n') +
      (statements.length > 1 ? ';' : '')
    );
  } catch (e) {
    // The parser's printer recurses: a tree it parsed can still be too deep for it to print
    // (a long AND chain beside the folded OR). The rewrite is then lost, not the whole analysis.
    if (e instanceof RangeError) return pretty(sql, dialect);
    throw e;
  }
}
